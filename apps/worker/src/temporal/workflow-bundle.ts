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
        '@app/connectors': join(libs, 'connectors', 'src'),
      };
      return config;
    },
  };
}

/**
 * The build's prebuilt bundle (npm run build:workflows, shipped in the image) when running the build
 * output; from the sources (dev, tests) always bundle the current code, never a stale dist bundle.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (COMPILED && existsSync(PREBUILT)) {
    return { workflowBundle: { codePath: PREBUILT } };
  }
  return { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundlerOptions() };
}
