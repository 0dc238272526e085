/**
 * Whether a browser Origin may post events to a source. A request without Origin (servers, mobile apps)
 * is not a browser's and always passes. With one, the source's trackingConfig.allowedOrigins decides:
 * an exact origin, `https://*.example.com` (any subdomain, not the apex), or `*` for any origin. An empty
 * list accepts no browser origin: a browser source is opened deliberately, by listing its sites.
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) {
    return true;
  }
  const presented = origin.trim().toLowerCase();
  return allowedOrigins.some(
    (pattern) => pattern === '*' || pattern === presented || wildcardMatch(pattern, presented),
  );
}

function wildcardMatch(pattern: string, origin: string): boolean {
  const marker = pattern.indexOf('://*.');
  if (marker < 0) {
    return false;
  }
  const scheme = pattern.slice(0, marker + 3);
  const suffix = pattern.slice(marker + 4); // ".example.com[:port]"
  return origin.startsWith(scheme) && origin.endsWith(suffix);
}
