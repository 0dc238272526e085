import { once } from 'node:events';
import { createDeflate, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { decodeTrackingBody } from './tracking-body';
import { MAX_BATCH_BYTES } from './tracking-limits';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('decodeTrackingBody', () => {
  it('reads JSON sent as application/json, text/plain (sendBeacon) or without a type', async () => {
    for (const contentType of [
      'application/json',
      'application/json; charset=utf-8',
      'text/plain;charset=UTF-8',
      undefined,
    ]) {
      expect(await decodeTrackingBody(json({ a: 1 }), { contentType })).toEqual({ ok: true, value: { a: 1 } });
    }
  });

  it('inflates gzip and deflate bodies', async () => {
    expect(await decodeTrackingBody(gzipSync(json({ g: 1 })), { contentEncoding: 'gzip' })).toEqual({
      ok: true,
      value: { g: 1 },
    });
    expect(await decodeTrackingBody(deflateSync(json({ d: 1 })), { contentEncoding: 'deflate' })).toEqual({
      ok: true,
      value: { d: 1 },
    });
  });

  it('applies the size limit after decompression (413)', async () => {
    const over = gzipSync(Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20));
    expect(await decodeTrackingBody(over, { contentEncoding: 'gzip' })).toMatchObject({ ok: false, status: 413 });
    const plain = Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20);
    expect(await decodeTrackingBody(plain, {})).toMatchObject({ ok: false, status: 413 });
  });

  it('stops inflating a bomb at the limit: 300 MB inflated costs the process no more than a few MB', async () => {
    for (const encoding of ['gzip', 'deflate'] as const) {
      const bomb = await compressedZeros(300 * 1024 * 1024, encoding);
      expect(bomb.length).toBeLessThan(MAX_BATCH_BYTES);
      // Peak RSS only grows: inflating the whole bomb would raise it by 300 MB or more.
      const peakBefore = process.resourceUsage().maxRSS;
      expect(await decodeTrackingBody(bomb, { contentEncoding: encoding })).toMatchObject({ ok: false, status: 413 });
      const grownMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
      expect(grownMb).toBeLessThan(64);
    }
  });

  it('refuses with a reason: invalid JSON, invalid UTF-8, empty, bad gzip (400); other types or encodings (415)', async () => {
    const invalid = await decodeTrackingBody(Buffer.from('{"writeKey":"wk_secret",'), {});
    expect(invalid).toMatchObject({
      ok: false,
      status: 400,
      reason: expect.stringMatching(/^The body is not valid JSON/),
    });
    expect(JSON.stringify(invalid)).not.toContain('wk_secret');
    expect(await decodeTrackingBody(Buffer.from([0x7b, 0xff, 0x7d]), {})).toMatchObject({
      ok: false,
      status: 400,
      reason: 'The body is not valid UTF-8',
    });
    expect(await decodeTrackingBody(Buffer.alloc(0), {})).toMatchObject({ ok: false, status: 400 });
    expect(await decodeTrackingBody(json({}), { contentEncoding: 'gzip' })).toMatchObject({ ok: false, status: 400 });
    expect(await decodeTrackingBody(json({}), { contentType: 'application/xml' })).toMatchObject({
      ok: false,
      status: 415,
    });
    expect(await decodeTrackingBody(json({}), { contentEncoding: 'br' })).toMatchObject({ ok: false, status: 415 });
  });
});

/** `size` zero bytes compressed, streamed through 1 MB at a time (the test process never holds them). */
async function compressedZeros(size: number, encoding: 'gzip' | 'deflate'): Promise<Buffer> {
  const stream = encoding === 'gzip' ? createGzip({ level: 9 }) : createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(stream, 'end');
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += zeros.length) {
    if (!stream.write(zeros)) {
      await once(stream, 'drain');
    }
  }
  stream.end();
  await ended;
  return Buffer.concat(chunks);
}
