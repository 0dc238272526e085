// The permissions a template declares (___WEB_PERMISSIONS___), enforced as GTM does: every sandboxed API
// checks its permission on each call and throws when the call is outside it.

/** GTM's typed values: 1 string, 2 list, 3 map, 8 boolean. */
interface Value {
  type: number;
  string?: string;
  boolean?: boolean;
  listItem?: Value[];
  mapKey?: Value[];
  mapValue?: Value[];
}
interface Declared {
  instance: { key: { publicId: string }; param?: { key: string; value: Value }[] };
}

export class PermissionError extends Error {
  override readonly name = 'PermissionError';
}

function plain(value: Value | undefined): unknown {
  if (!value) {
    return undefined;
  }
  switch (value.type) {
    case 1:
      return value.string;
    case 8:
      return value.boolean;
    case 2:
      return (value.listItem ?? []).map(plain);
    case 3:
      return Object.fromEntries((value.mapKey ?? []).map((k, i) => [plain(k), plain(value.mapValue?.[i])]));
    default:
      throw new Error(`unknown permission value type ${value.type}`);
  }
}

/** GTM URL match patterns: https only; `*` in the host matches a subdomain run, at the path's end any rest. */
function urlMatches(pattern: string, url: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^?#]*');
  return url.startsWith('https://') && new RegExp(`^${escaped}$`).test(url);
}

/** read_data_layer key patterns: an exact key, or `prefix.*` for everything under it. */
function keyMatches(pattern: string, key: string): boolean {
  return pattern.endsWith('.*')
    ? key === pattern.slice(0, -2) || key.startsWith(pattern.slice(0, -1))
    : key === pattern;
}

export class Permissions {
  private readonly granted = new Map<string, Record<string, unknown>>();

  constructor(declared: unknown[]) {
    for (const d of declared as Declared[]) {
      const params = Object.fromEntries((d.instance.param ?? []).map((p) => [p.key, plain(p.value)]));
      this.granted.set(d.instance.key.publicId, params);
    }
  }

  private need(id: string, what: string): Record<string, unknown> {
    const params = this.granted.get(id);
    if (!params) {
      throw new PermissionError(`${what}: the template does not declare the ${id} permission`);
    }
    return params;
  }

  injectScript(url: string): void {
    const urls = (this.need('inject_script', `injectScript(${url})`).urls ?? []) as string[];
    if (!urls.some((p) => urlMatches(p, url))) {
      throw new PermissionError(`injectScript(${url}): no inject_script pattern allows it (${urls.join(', ')})`);
    }
  }

  global(key: string, access: 'read' | 'write' | 'execute'): void {
    const keys = (this.need('access_globals', `${access} ${key}`).keys ?? []) as Record<string, unknown>[];
    if (!keys.some((k) => k.key === key && k[access] === true)) {
      throw new PermissionError(`${access} window.${key}: access_globals does not allow it`);
    }
  }

  dataLayer(key: string): void {
    const params = this.need('read_data_layer', `copyFromDataLayer(${key})`);
    const patterns = (params.keyPatterns ?? []) as string[];
    if (params.allowedKeys !== 'any' && !patterns.some((p) => keyMatches(p, key))) {
      throw new PermissionError(`copyFromDataLayer(${key}): read_data_layer does not allow it`);
    }
  }

  logging(): void {
    const environments = this.need('logging', 'logToConsole').environments;
    if (environments !== 'debug' && environments !== 'all') {
      throw new PermissionError('logToConsole: logging is not allowed in any environment');
    }
  }

  templateStorage(): void {
    this.need('access_template_storage', 'templateStorage');
  }
}
