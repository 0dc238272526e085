// `npm run doctor`: checks what `npm run dev` and `npm test` need on this machine, one line each, with a
// one-line fix for anything missing. Exits non-zero only when something required is missing.
import { exitCode, formatReport, runChecks } from './lib/doctor-checks';
import { gatherFacts } from './lib/doctor-probes';

async function main(): Promise<number> {
  const checks = runChecks(await gatherFacts(process.env));
  process.stdout.write(`Tributary doctor: prerequisites of npm run dev and npm test\n${formatReport(checks)}\n`);
  const code = exitCode(checks);
  process.stdout.write(
    code === 0 ? 'Nothing required is missing.\n' : 'Something required is MISSING: see fix above.\n',
  );
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[doctor] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
