import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { freePort } from '../../scripts/lib/free-port';
import { exitCode, runEntry, waitFor } from '../utils/app-process';
import { migrateFresh, requiredEnv } from '../utils/database';

// The real ingest entry (apps/ingest/src/main.ts) as its own OS process, as process-boot does for api/worker.
const runIngest = (env: Record<string, string>): ReturnType<typeof runEntry> =>
  runEntry('apps/ingest/src/main.ts', env);

/** A POST whose body arrives in two halves: in flight until `finish()` sends the rest. */
function slowPost(
  port: number,
  path: string,
): { finish: () => void; answer: Promise<{ status: number; body: string }> } {
  const body = JSON.stringify({ event: 'x'.repeat(64) });
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answer };
}

describe('ingest process', () => {
  const keys = { ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`, ENCRYPTION_ACTIVE_KEY: 'v1' };

  it('refuses bad configuration, naming the variable', async () => {
    const { child, output } = runIngest({
      ...keys,
      INGEST_PORT: 'eighty',
      INGEST_PUBLIC_URL: 'https://in.example.com/hooks',
      DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/db',
    });
    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain('ingest failed to start: Invalid configuration');
    expect(output()).toContain('INGEST_PORT ("eighty")');
    expect(output()).toContain('INGEST_PUBLIC_URL ("https://in.example.com/hooks"): must be scheme://host[:port]');
    expect(output()).not.toContain('hunter2');
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes its pool and exits 0', async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    const port = await freePort();
    const { child, output } = runIngest({
      ...keys,
      LOG_LEVEL: 'info',
      INGEST_PORT: String(port),
      DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
      TEMPORAL_ADDRESS: requiredEnv('TEST_TEMPORAL_ADDRESS'),
    });
    const exited = exitCode(child);
    await waitFor(output, 'ingest listening on', 45_000); // ts-node compiles the app first
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

    const inFlight = slowPost(port, '/v1/track');
    await new Promise((r) => setTimeout(r, 200)); // the request has reached the server
    child.kill('SIGTERM');
    await waitFor(output, 'SIGTERM: stopping');
    // No new connections once stopping…
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    // …but the one in flight gets its whole answer (its body carries no write key: a 401 with the reason).
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: expect.stringContaining('write key') });
    // Exiting at all proves the pool and the Temporal connection were closed: open sockets keep Node alive.
    expect(await exited).toBe(0);
    expect(output()).toContain('ingest stopped');
  });
});
