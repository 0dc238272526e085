// Builds dist/esm (import), dist/cjs (require) and dist/types from src with the repository's tsc.
// Each output folder gets a package.json naming its module type, so one set of .js files per format works.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

const builds = [
  { dir: 'esm', type: 'module', args: ['--module', 'es2022', '--moduleResolution', 'bundler'] },
  { dir: 'cjs', type: 'commonjs', args: ['--module', 'nodenext'] },
];
for (const { dir, type, args } of builds) {
  const out = join(dist, dir);
  mkdirSync(out, { recursive: true });
  // Node picks a .js file's format from the nearest package.json "type".
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type })}\n`);
  execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json'), '--outDir', out, ...args], {
    stdio: 'inherit',
  });
}
execFileSync(
  process.execPath,
  [
    tsc,
    '-p',
    join(here, 'tsconfig.build.json'),
    '--declaration',
    '--emitDeclarationOnly',
    '--outDir',
    join(dist, 'types'),
  ],
  { stdio: 'inherit' },
);
