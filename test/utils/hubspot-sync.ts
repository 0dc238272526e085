import type { ObjectType } from '../../emulators/hubspot/src';
import * as op from './operations';
import { servedWithin } from './stripe-sync';
import type { SyncStack } from './sync-stack';

/**
 * Every live record of `type` as the emulator's API shows it with all its properties, from its own state (not
 * through our client or its chunking): what the stored payloads must equal.
 */
export function hubspotTruth(stack: SyncStack, type: ObjectType): Map<string, unknown> {
  const store = stack.hubspot!.state.stores[type];
  const names = store.propertyNames();
  return new Map(
    store
      .idList(false)
      .map((id) => [String(id), JSON.parse(JSON.stringify(store.render(store.get(id)!, names))) as unknown]),
  );
}

/** Every link between live records of `from` and `to` in the emulator's state, as the records we store. */
export function hubspotLinks(stack: SyncStack, from: ObjectType, to: ObjectType): Map<string, unknown> {
  const state = stack.hubspot!.state;
  const live = (type: ObjectType, id: number) => state.stores[type].get(id)?.archived === false;
  const truth = new Map<string, unknown>();
  for (const fromId of state.stores[from].idList(false)) {
    for (const link of state.associations.read(from, fromId, to).filter((l) => live(to, l.toObjectId))) {
      const id = `${fromId}-${link.toObjectId}`;
      truth.set(id, {
        id,
        fromObjectType: from,
        fromId: String(fromId),
        toObjectType: to,
        toId: String(link.toObjectId),
        associationTypes: link.associationTypes,
      });
    }
  }
  return truth;
}

export async function createHubSpotSource(stack: SyncStack, name: string, accessToken: string): Promise<string> {
  const { createSource } = await stack.call(op.CREATE_SOURCE, {
    input: { name, kind: 'HUBSPOT', environment: 'PRODUCTION' },
  });
  await stack.call(op.SET_CREDENTIALS, { input: { sourceId: createSource.id, hubspot: { accessToken } } });
  await servedWithin(stack, createSource.id, true, 5000);
  return createSource.id as string;
}

/** A control call to the HubSpot emulator (`/_emulator<path>`); its JSON answer. */
export async function hubspotControl<T = unknown>(stack: SyncStack, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${stack.hubspot!.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) {
    throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}
