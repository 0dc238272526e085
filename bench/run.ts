// `npm run bench -- [name…]`: runs the named benches (all when none is named), prints each result as
// JSON on stdout and writes it to bench/results/<name>.json. Progress goes to stderr.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Bench, messageOf, runBench } from './lib/harness';
import { hubspotBench } from './hubspot';
import { ingestBench } from './ingest';
import { sdkNodeBench } from './sdk-node';
import { shopifyBench } from './shopify';
import { syncBench } from './sync';
import { trackingPlanBench } from './tracking-plan';
import { workerMemory } from './worker-memory';

const BENCHES: Bench[] = [
  workerMemory,
  syncBench,
  ingestBench,
  hubspotBench,
  shopifyBench,
  trackingPlanBench,
  sdkNodeBench,
];
const RESULTS_DIR = join(__dirname, 'results');

function usage(): string {
  const lines = BENCHES.map(
    (b) => `  ${b.name.padEnd(16)} ${b.description} (time limit ${b.timeLimitMs / 60_000} min)`,
  );
  return `usage: npm run bench -- [name…]   (no name: run all)\n\nbenches:\n${lines.join('\n')}\n`;
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const unknown = args.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench: ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = args.length > 0 ? BENCHES.filter((b) => args.includes(b.name)) : BENCHES;
  for (const bench of selected) {
    const json = `${JSON.stringify(await runBench(bench), null, 2)}\n`;
    process.stdout.write(json);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${bench.name}.json`), json);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? messageOf(error)) : messageOf(error)}\n`,
    );
    process.exit(1);
  },
);
