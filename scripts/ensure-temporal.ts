// `npm run temporal:ensure`: makes sure the Temporal CLI (dev server + UI) is available, building it once
// into ~/.cache/tributary/bin when needed, and prints where it is and how long that took.
import { ensureTemporal } from './lib/ensure-temporal';

ensureTemporal((line) => process.stdout.write(`${line}\n`)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[temporal:ensure] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
