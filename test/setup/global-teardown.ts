import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __TRIBUTARY_PG__?: { stop: () => Promise<void> } }).__TRIBUTARY_PG__;
  await pg?.stop();
  if (process.env.TEST_TMP_DIR) {
    rmSync(process.env.TEST_TMP_DIR, { recursive: true, force: true });
  }
}
