// `npm run build:workflows` (part of `npm run build`): bundles every workflow once, at build time, into
// dist/workflow-bundle.js. The worker's workflowSource() loads that file when present instead of running
// webpack at every start; the worker image ships it (docker/Dockerfile).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundlerOptions } from '../apps/worker/src/temporal/workflow-bundle';

const REPO_ROOT = resolve(__dirname, '..');
const WORKFLOWS = join(REPO_ROOT, 'apps', 'worker', 'src', 'workflows.ts');
const OUT = join(REPO_ROOT, 'dist', 'workflow-bundle.js');

async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS,
    // The same aliases the worker uses when it bundles at start (the bundler ignores tsconfig paths).
    ...workflowBundlerOptions(),
    // webpack's module listing is noise here; warnings and errors still show.
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(dirname(OUT), { recursive: true });
  // Written next to the target and renamed: a worker starting meanwhile never reads half a bundle.
  const partial = `${OUT}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, OUT);
  const size = `${(Buffer.byteLength(code) / 1024 / 1024).toFixed(2)} MB`;
  process.stdout.write(`workflow bundle: ${relative(REPO_ROOT, OUT)} (${size}) in ${Date.now() - started} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build:workflows failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
