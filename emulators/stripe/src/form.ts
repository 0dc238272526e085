// Form-encoded parameters as Stripe reads them: bracket keys nest (`metadata[plan]=pro`, `items[0][price]=x`,
// `expand[]=a`), raw or percent-encoded. stripe-node sends write parameters so, in the body of a POST and in
// the query string of a DELETE.
import { invalidRequest } from './errors';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = { [key: string]: FormValue };

export function parseForm(encoded: string): Form {
  const form: Form = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) {
      throw invalidRequest(`Invalid parameter name: ${key}`, { param: key });
    }
    const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((segment) => segment[1])];
    assign(form, path, value, key);
  }
  return form;
}

/** Sets `value` at `path`; `[]` appends, digits index an array, anything else names a hash key. */
function assign(target: Form | FormValue[], path: string[], value: string, key: string): void {
  const [head, ...rest] = path;
  const slot = head === '' && Array.isArray(target) ? String(target.length) : head;
  const container = target as Record<string, FormValue>;
  if (rest.length === 0) {
    container[slot] = value;
    return;
  }
  const existing = container[slot];
  const wantsArray = rest[0] === '' || /^\d+$/.test(rest[0]);
  const child = existing ?? (wantsArray ? [] : {});
  if (typeof child === 'string' || Array.isArray(child) !== wantsArray) {
    throw invalidRequest(`Invalid parameter: ${key} conflicts with another parameter`, { param: key });
  }
  container[slot] = child;
  assign(child, rest, value, key);
}
