// Public entry: tests start the emulator in-process on a free port; main.ts runs it standalone.
export { startShopifyEmulator, type ShopifyEmulator, type ShopifyEmulatorOptions } from './server';
export { ShopState, DEFAULT_COUNTS, DEFAULT_SEED, DEFAULT_SHOP } from './state';
export { ALL_SCOPES, DEFAULT_TOKEN, DEFAULT_TOKENS, type Tokens } from './auth';
export { SHOPIFY_BUCKET, type BucketLimits } from './cost';
export { SUPPORTED_VERSIONS } from './versions';
export { hmacOf, DEFAULT_WEBHOOK_CONFIG, type WebhookAttempt } from './webhooks';
export type { FaultSpec } from './faults';
export { RESOURCES, type Resource } from './records';
