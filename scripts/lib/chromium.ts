// The one place that finds the Chromium the browser tests drive (test/browser), for .ci/run's
// scripts/ci/ensure-chromium.ts and `npm run doctor` too. Nothing is ever downloaded.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Names Debian (`chromium`) and other distributions (`chromium-browser`) install on PATH. */
export const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser'] as const;

export type ChromiumLookup =
  { found: true; path: string; source: 'CHROMIUM_PATH' | 'PATH' } | { found: false; fromEnv: boolean; problem: string };

/** CHROMIUM_PATH when set (and then only it), else the first `chromium`/`chromium-browser` on PATH. */
export function findChromium(
  env: Record<string, string | undefined>,
  isExecutable: (path: string) => boolean = isExecutableFile,
): ChromiumLookup {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    return isExecutable(configured)
      ? { found: true, path: configured, source: 'CHROMIUM_PATH' }
      : { found: false, fromEnv: true, problem: `CHROMIUM_PATH=${configured} is not an executable file` };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const name of CHROMIUM_COMMANDS) {
      if (isExecutable(join(dir, name))) {
        return { found: true, path: join(dir, name), source: 'PATH' };
      }
    }
  }
  return {
    found: false,
    fromEnv: false,
    problem: 'no chromium or chromium-browser on PATH, and CHROMIUM_PATH is unset',
  };
}

/** The command that installs Debian's Chromium, as a user would type it. */
export const CHROMIUM_INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
