// Builds packages/browser: the IIFE served by ingest at /sdk/v1/tributary.min.js (size-checked), ESM and
// CommonJS builds for bundler users, and the declarations. Used by `npm run build:browser` and the tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const BROWSER_PACKAGE = resolve(__dirname, '..', '..', 'packages', 'browser');
export const BROWSER_DIST = join(BROWSER_PACKAGE, 'dist');
/** The file apps/ingest serves; relative to the repository root, which is where ingest runs. */
export const SDK_BUNDLE = join(BROWSER_DIST, 'tributary.min.js');
/** The budget for everything the SDK does, minified and gzipped. */
export const SIZE_BUDGET_BYTES = 10 * 1024;

export interface BrowserBuildResult {
  minBytes: number;
  gzipBytes: number;
}

/** Thrown when the served bundle outgrows its budget: the build fails rather than ship it. */
export class OverBudgetError extends Error {}

/** Builds everything; the IIFE first, so a budget failure stops before anything else is written. */
export async function buildBrowserSdk(
  options: { declarations?: boolean; budgetBytes?: number } = {},
): Promise<BrowserBuildResult> {
  const budget = options.budgetBytes ?? SIZE_BUDGET_BYTES;
  const src = join(BROWSER_PACKAGE, 'src');
  const iife = await build({
    entryPoints: [join(src, 'global.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    write: false,
    legalComments: 'none',
  });
  const code = iife.outputFiles[0].contents;
  const result = { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
  if (result.gzipBytes > budget) {
    throw new OverBudgetError(`tributary.min.js is ${result.gzipBytes} bytes min+gzip, over the ${budget}-byte budget`);
  }
  mkdirSync(BROWSER_DIST, { recursive: true });
  // Written next to the target and renamed: ingest serving meanwhile never reads half a file.
  const partial = `${SDK_BUNDLE}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, SDK_BUNDLE);
  for (const [format, file] of [
    ['esm', 'index.mjs'],
    ['cjs', 'index.cjs'],
  ] as const) {
    await build({
      entryPoints: [join(src, 'index.ts')],
      bundle: true,
      format,
      target: 'es2019',
      outfile: join(BROWSER_DIST, file),
      legalComments: 'none',
    });
  }
  if (options.declarations !== false) {
    const tsc = resolve(BROWSER_PACKAGE, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(BROWSER_PACKAGE, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  return result;
}

/** The built file's bytes, or null when `npm run build` has not run. */
export function readSdkBundle(): Buffer | null {
  try {
    return readFileSync(SDK_BUNDLE);
  } catch {
    return null;
  }
}
