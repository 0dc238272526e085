// `npm run build:browser` (part of `npm run build`): packages/browser's builds; prints the served
// bundle's min+gzip size and fails past the 10 KB budget.
import { relative } from 'node:path';
import { buildBrowserSdk, SDK_BUNDLE, SIZE_BUDGET_BYTES } from './lib/browser-sdk-build';

buildBrowserSdk().then(
  ({ minBytes, gzipBytes }) => {
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;
    process.stdout.write(
      `browser SDK: ${relative(process.cwd(), SDK_BUNDLE)} ${kb(minBytes)} min, ${kb(gzipBytes)} min+gzip ` +
        `(budget ${kb(SIZE_BUDGET_BYTES)})\n`,
    );
  },
  (error: unknown) => {
    process.stderr.write(`build:browser failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
