// `data.previous_attributes` of an update event: the old values of the fields that changed. Hashes such as
// `metadata` are compared key by key, and a key that did not exist before shows as null (as Stripe's do).

type Fields = Record<string, unknown>;

/** The changed fields' old values, or undefined when nothing changed (then no event is due). */
export function previousAttributes(before: object, after: object): Fields | undefined {
  const changed = diff(before as Fields, after as Fields);
  return Object.keys(changed).length === 0 ? undefined : changed;
}

function diff(before: Fields, after: Fields): Fields {
  const changed: Fields = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (isHash(old) && isHash(now)) {
      const inner = diff(old, now);
      if (Object.keys(inner).length > 0) {
        changed[key] = inner;
      }
    } else if (JSON.stringify(old) !== JSON.stringify(now)) {
      changed[key] = old ?? null;
    }
  }
  return changed;
}

function isHash(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
