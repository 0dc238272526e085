import { join } from 'node:path';
import { ensureTemporal } from './ensure-temporal';
import { freePort } from './free-port';
import type { ServiceHooks } from './stack';
import { answersAsTemporal, checkTemporal, launchTemporalDevServer } from './temporal-dev-server';
import { portAnswers, waitForHttpOk } from './wait-for-http';

/** The dev stack's Temporal ports (also the defaults of TEMPORAL_ADDRESS / TEMPORAL_UI_URL in libs/config). */
export const DEV_TEMPORAL_PORT = 7233;
export const DEV_TEMPORAL_UI_PORT = 8233;

export interface Temporal {
  /** host:port for TEMPORAL_ADDRESS. */
  address: string;
  /** For TEMPORAL_UI_URL; undefined when TEMPORAL_ADDRESS points elsewhere and TEMPORAL_UI_URL is unset. */
  uiUrl?: string;
  /** One line for the banner and the log. */
  description: string;
}

/**
 * `npm run dev`: TEMPORAL_ADDRESS if set; else the dev server on 7233 (UI 8233) with its state in
 * `<dataRoot>/temporal.db`, started here or reused when one already answers there.
 */
export async function devTemporal(env: NodeJS.ProcessEnv, dataRoot: string, hooks: ServiceHooks): Promise<Temporal> {
  if (env.TEMPORAL_ADDRESS) {
    if (!(await answersAsTemporal(env.TEMPORAL_ADDRESS, 5_000))) {
      throw new Error(
        `TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}: no Temporal frontend answers there (start it, or unset it)`,
      );
    }
    return external(env.TEMPORAL_ADDRESS, env.TEMPORAL_UI_URL);
  }
  const address = `127.0.0.1:${DEV_TEMPORAL_PORT}`;
  const uiUrl = `http://127.0.0.1:${DEV_TEMPORAL_UI_PORT}`;
  if (await portAnswers(DEV_TEMPORAL_PORT)) {
    // Another `npm run dev` (or a crashed one) left it running: share it rather than fail.
    await assertTemporal(address);
    await warnUnlessReady(address, hooks.say);
    const ui = (await portAnswers(DEV_TEMPORAL_UI_PORT)) ? '' : ` (its UI does not answer on ${DEV_TEMPORAL_UI_PORT})`;
    return { address, uiUrl, description: `already running on ${address}${ui}: reused, left running on exit` };
  }
  await assertUiPortFree();
  const dbFile = join(dataRoot, 'temporal.db');
  await startServer(hooks, { port: DEV_TEMPORAL_PORT, uiPort: DEV_TEMPORAL_UI_PORT, dbFile });
  return { address, uiUrl, description: `dev server on ${address}, state in ${dbFile}` };
}

/** `--smoke`: a fresh dev server on free ports, UI included, its SQLite file in `tempDir`. */
export async function freshTemporal(tempDir: string, hooks: ServiceHooks): Promise<Temporal & { uiUrl: string }> {
  const port = await freePort();
  let uiPort = await freePort();
  while (uiPort === port) {
    uiPort = await freePort(); // the kernel may hand out a just-released port again
  }
  const dbFile = join(tempDir, 'temporal.db');
  const server = await startServer(hooks, { port, uiPort, dbFile });
  return { address: server.address, uiUrl: server.uiUrl, description: `dev server on ${server.address}` };
}

/** The smoke's check: frontend, namespace `default`, our search attributes, and the UI's front page. */
export async function checkTemporalServer(temporal: Temporal): Promise<void> {
  await checkTemporal(temporal.address);
  if (temporal.uiUrl) {
    await waitForHttpOk(temporal.uiUrl, { what: 'the Temporal UI', timeoutMs: 10_000 });
  }
}

async function startServer(
  hooks: ServiceHooks,
  ports: { port: number; uiPort: number; dbFile: string },
): Promise<{ address: string; uiUrl: string }> {
  const binary = await ensureTemporal(hooks.say);
  const server = launchTemporalDevServer({
    ...ports,
    binary,
    log: hooks.log,
    onUnexpectedExit: hooks.onUnexpectedExit,
  });
  hooks.register(() => server.stop()); // before waiting: a Ctrl-C during start-up stops it too
  await server.ready;
  return server;
}

function external(address: string, uiUrl: string | undefined): Temporal {
  return { address, uiUrl, description: `${address} from TEMPORAL_ADDRESS (not started or stopped here)` };
}

async function assertTemporal(address: string): Promise<void> {
  if (!(await answersAsTemporal(address))) {
    throw new Error(
      `port ${DEV_TEMPORAL_PORT} is taken by something that is not a Temporal frontend: stop it, or set ` +
        'TEMPORAL_ADDRESS to use another Temporal server',
    );
  }
}

async function assertUiPortFree(): Promise<void> {
  if (await portAnswers(DEV_TEMPORAL_UI_PORT)) {
    throw new Error(
      `port ${DEV_TEMPORAL_UI_PORT} (the Temporal UI) is already in use: stop what serves it (an old ` +
        'temporal server start-dev?), or set TEMPORAL_ADDRESS to use another Temporal server',
    );
  }
}

async function warnUnlessReady(address: string, log: (line: string) => void): Promise<void> {
  try {
    await checkTemporal(address);
  } catch (error) {
    // The worker registers missing search attributes itself; say it, but do not refuse to run.
    const reason = error instanceof Error ? error.message : String(error);
    log(`the Temporal server on ${address}: ${reason} (the worker registers missing ones at startup)`);
  }
}
