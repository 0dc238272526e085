import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

// Running the build output (dist/apps/worker/src/temporal) or the sources (apps/worker/src/temporal).
const COMPILED = __dirname.split(sep).includes('dist');
const REPO_ROOT = resolve(__dirname, ...Array<string>(COMPILED ? 5 : 4).fill('..'));
const PREBUILT = join(REPO_ROOT, 'dist', 'workflow-bundle.js');

/** Webpack aliases for the workflow bundler, which ignores tsconfig paths. */
export function workflowBundlerOptions(): Pick<BundleOptions, 'webpackConfigHook'> {
  const libs = COMPILED ? join(REPO_ROOT, 'dist', 'libs') : join(REPO_ROOT, 'libs');
  return {
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = {
        ...(config.resolve.alias as Record<string, string>),
        '@app/temporal': join(libs, 'temporal', 'src'),
        '@app/sync': join(libs, 'sync', 'src'),
        '@app/sources': join(libs, 'sources', 'src'),
        '@app/ingestion': join(libs, 'ingestion', 'src'),
      };
      return config;
    },
  };
}

/**
 * In production, the build's prebuilt bundle (npm run build:workflows, shipped in the image). Otherwise
 * (dev watch mode, tests) bundle the current code at start, never a dist bundle that may be stale.
 */
export function workflowSource(
  production: boolean,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (production && COMPILED && existsSync(PREBUILT)) {
    return { workflowBundle: { codePath: PREBUILT } };
  }
  return { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundlerOptions() };
}
