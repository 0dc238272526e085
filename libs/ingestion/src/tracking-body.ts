import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { MAX_BATCH_BYTES } from './tracking-limits';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export type DecodedBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; reason: string };

export interface BodyHeaders {
  contentType?: string;
  contentEncoding?: string;
}

// analytics-next and sendBeacon send text/plain to avoid a CORS preflight; the body is JSON all the same.
const JSON_MEDIA_TYPES = new Set(['application/json', 'text/plain', '']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a request body into JSON: inflates gzip/deflate (the size limit applies to the inflated bytes),
 * then UTF-8, then JSON. Refusals say what to fix; they never echo the body (it may hold a write key).
 * An uncompressed body is decoded at once (no promise: this is every tracking request's path).
 */
export function decodeTrackingBody(body: Buffer, headers: BodyHeaders): DecodedBody | Promise<DecodedBody> {
  const mediaType = (headers.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(mediaType)) {
    return { ok: false, status: 415, reason: `Content-Type ${mediaType} is not accepted: send application/json` };
  }
  const encoding = (headers.contentEncoding ?? 'identity').trim().toLowerCase();
  return encoding === 'identity'
    ? decodeJson(body)
    : inflateBody(body, encoding).then((r) => (r.ok ? decodeJson(r.bytes) : r));
}

function decodeJson(bytes: Buffer): DecodedBody {
  if (bytes.length > MAX_BATCH_BYTES) {
    return { ok: false, status: 413, reason: tooLarge() };
  }
  if (bytes.length === 0) {
    return { ok: false, status: 400, reason: 'The body is empty: send a JSON object' };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, status: 400, reason: 'The body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, status: 400, reason: `The body is not valid JSON: ${jsonProblem(error)}` };
  }
}

async function inflateBody(
  body: Buffer,
  encoding: string,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; status: 400 | 413 | 415; reason: string }> {
  const inflater =
    encoding === 'gzip' || encoding === 'x-gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : null;
  if (!inflater) {
    return {
      ok: false,
      status: 415,
      reason: `Content-Encoding ${encoding} is not accepted: use gzip, deflate or none`,
    };
  }
  try {
    // One byte over the limit is enough to know the body is too large: zlib inflates chunk by chunk and
    // stops the stream once its output passes maxOutputLength, so a bomb costs the limit plus one chunk
    // (tracking-body.spec.ts measures it).
    return { ok: true, bytes: await inflater(body, { maxOutputLength: MAX_BATCH_BYTES + 1 }) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, status: 413, reason: tooLarge() };
    }
    return { ok: false, status: 400, reason: `The body is not valid ${encoding} data` };
  }
}

function tooLarge(): string {
  return `The body is over ${MAX_BATCH_BYTES / 1024} KB once decompressed: send fewer events per request`;
}

/** V8's message without the excerpt of the body it quotes. */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,? ".*" is not valid JSON$/s, '').slice(0, 200);
}
