import { rmSync } from 'node:fs';

interface Stoppable {
  stop: () => Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const shared = globalThis as { __TRIBUTARY_PG__?: Stoppable; __TRIBUTARY_TEMPORAL__?: Stoppable };
  await Promise.all([shared.__TRIBUTARY_TEMPORAL__?.stop(), shared.__TRIBUTARY_PG__?.stop()]);
  if (process.env.TEST_TMP_DIR) {
    rmSync(process.env.TEST_TMP_DIR, { recursive: true, force: true });
  }
}
