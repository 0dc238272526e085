import { DEFAULT_KEYS, seedActivity, startStripeEmulator } from '../../emulators/stripe/src';
import type { ServiceHooks } from './stack';
import { portAnswers } from './wait-for-http';

/** The Stripe emulator's port under `npm run dev` (STRIPE_API_BASE_URL points there). */
export const DEV_STRIPE_PORT = 4242;

export interface StripeService {
  url: string;
  description: string;
}

/** The objects a Stripe source syncs, as many as the emulator serves them: what a full sync must insert. */
export type StripeCounts = Record<'customers' | 'subscriptions' | 'invoices' | 'charges' | 'trials', number>;

/**
 * Runs the Stripe emulator inside this process (it is a small Fastify server), on `port`, with its generated
 * history (seed 1) and a dozen new customers' recent activity on top, so every object and event type has data;
 * with port 4242 already answering as our emulator (another `npm run dev`), that one is shared as it is.
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
  const activity = seedActivity(emulator.state);
  const listed = describeCounts(await stripeCounts(emulator.url));
  return {
    url: emulator.url,
    description:
      `emulator on ${emulator.url} (${listed}; ${activity.events} recent events; key ${DEFAULT_KEYS[0]}; ` +
      `advance its clock to end trials: POST ${emulator.url}/_emulator/clock {"advance": seconds})`,
  };
}

/** `250 customers, 150 subscriptions, …` */
export function describeCounts(counts: StripeCounts): string {
  return Object.entries(counts)
    .map(([object, count]) => `${count} ${object}`)
    .join(', ');
}

/** What the emulator serves now, read from its control API (a shared emulator may have changed since it started). */
export async function stripeCounts(url: string): Promise<StripeCounts> {
  const all = async <T>(kind: string): Promise<T[]> => {
    const res = await fetch(`${url}/_emulator/${kind}`, { signal: AbortSignal.timeout(10_000) });
    return ((await res.json()) as { data: T[] }).data;
  };
  const subscriptions = await all<{ trial_start: number | null }>('subscriptions');
  return {
    customers: (await all('customers')).length,
    subscriptions: subscriptions.length,
    invoices: (await all('invoices')).length,
    charges: (await all('charges')).length,
    trials: subscriptions.filter((sub) => sub.trial_start !== null).length,
  };
}

async function isOurEmulator(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_emulator`, { signal: AbortSignal.timeout(2000) });
    return res.ok && 'customers' in ((await res.json()) as object);
  } catch {
    return false;
  }
}
