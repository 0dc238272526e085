import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

// dist/apps/worker/src/temporal -> repo root (the same depth from the sources).
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const PREBUILT = join(REPO_ROOT, 'dist', 'workflow-bundle.js');

/** Webpack aliases for the workflow bundler, which ignores tsconfig paths. */
export function workflowBundlerOptions(): Pick<BundleOptions, 'webpackConfigHook'> {
  const libs = join(REPO_ROOT, 'libs');
  const fromSources = existsSync(join(libs, 'temporal', 'src', 'task-queues.ts'));
  const root = fromSources ? libs : join(REPO_ROOT, 'dist', 'libs');
  return {
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = {
        ...(config.resolve.alias as Record<string, string>),
        '@app/temporal': join(root, 'temporal', 'src'),
        '@app/connectors': join(root, 'connectors', 'src'),
      };
      return config;
    },
  };
}

/** A prebuilt bundle (npm run build:workflows, shipped in the image) when present; else bundle at start. */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (existsSync(PREBUILT)) {
    return { workflowBundle: { codePath: PREBUILT } };
  }
  return { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundlerOptions() };
}
