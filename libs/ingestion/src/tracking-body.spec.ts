import { deflateSync, gzipSync } from 'node:zlib';
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

  it('applies the size limit after decompression (413), without inflating a bomb', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BATCH_BYTES);
    expect(await decodeTrackingBody(bomb, { contentEncoding: 'gzip' })).toMatchObject({ ok: false, status: 413 });
    const plain = Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20);
    expect(await decodeTrackingBody(plain, {})).toMatchObject({ ok: false, status: 413 });
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
