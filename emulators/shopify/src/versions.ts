// API versions (cloud-apis.md §3.1): quarterly stable versions plus `unstable`. A version that is not supported
// (retired, mistyped or not out yet) falls forward to the oldest supported one, and the answer's
// X-Shopify-API-Version says which version served it. Every version is served with the 2026-01 schema.

/** Supported on the emulator's reference date (December 2026): the four latest quarterly versions. */
export const SUPPORTED_VERSIONS = ['2026-01', '2026-04', '2026-07', '2026-10', 'unstable'];

export function servingVersion(requested: string, supported: readonly string[] = SUPPORTED_VERSIONS): string {
  if (supported.includes(requested)) {
    return requested;
  }
  return [...supported].filter((version) => version !== 'unstable').sort()[0] ?? 'unstable';
}
