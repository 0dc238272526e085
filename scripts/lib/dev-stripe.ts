import { startStripeEmulator } from '../../emulators/stripe/src';
import type { ServiceHooks } from './stack';
import { portAnswers } from './wait-for-http';

/** The Stripe emulator's port under `npm run dev` (STRIPE_API_BASE_URL points there). */
export const DEV_STRIPE_PORT = 4242;

export interface StripeService {
  url: string;
  description: string;
}

/**
 * Runs the Stripe emulator inside this process (it is a small Fastify server), on `port`; with port
 * 4242 already answering as our emulator (another `npm run dev`), that one is shared.
 */
export async function startStripe(port: number, hooks: ServiceHooks): Promise<StripeService> {
  const url = `http://127.0.0.1:${port}`;
  if (await portAnswers(port)) {
    if (await isOurEmulator(url)) {
      return { url, description: `emulator already running on ${url}: reused` };
    }
    throw new Error(`port ${port} is taken by something that is not the Stripe emulator: free it`);
  }
  const emulator = await startStripeEmulator({ port });
  hooks.register(() => emulator.close());
  return { url: emulator.url, description: `emulator on ${emulator.url} (250 customers; any sk_test_ key)` };
}

async function isOurEmulator(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_emulator`, { signal: AbortSignal.timeout(2000) });
    return res.ok && 'customers' in ((await res.json()) as object);
  } catch {
    return false;
  }
}
