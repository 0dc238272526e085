import { DEFAULT_TOKEN, startHubSpotEmulator } from '../../emulators/hubspot/src';
import type { ServiceHooks } from './stack';
import { portAnswers } from './wait-for-http';

/** The HubSpot emulator's port under `npm run dev`. */
export const DEV_HUBSPOT_PORT = 4243;

/**
 * Runs the HubSpot emulator inside this process on `port` with its generated portal (seed 1: a few hundred
 * contacts, companies and deals with their associations) and HubSpot's default throttling; with the port already
 * answering as our emulator (another `npm run dev`), that one is shared as it is. Returns a line for the log.
 */
export async function startHubSpot(port: number, hooks: ServiceHooks): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  if (await portAnswers(port)) {
    if (await isOurEmulator(url)) {
      return `emulator already running on ${url}: reused`;
    }
    throw new Error(`port ${port} is taken by something that is not the HubSpot emulator: free it`);
  }
  const emulator = await startHubSpotEmulator({ port });
  hooks.register(() => emulator.close());
  const counts = Object.entries(emulator.state.counts())
    .map(([type, { live }]) => `${live} ${type}`)
    .join(', ');
  return `emulator on ${emulator.url} (${counts}; token ${DEFAULT_TOKEN})`;
}

async function isOurEmulator(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_emulator`, { signal: AbortSignal.timeout(2000) });
    return res.ok && 'portalId' in ((await res.json()) as object);
  } catch {
    return false;
  }
}
