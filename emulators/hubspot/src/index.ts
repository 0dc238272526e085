// Public entry: tests start the emulator in-process on a free port; main.ts runs it standalone.
export { startHubSpotEmulator, type HubSpotEmulator, type HubSpotEmulatorOptions } from './server';
export { HubSpotState, DEFAULT_COUNTS, DEFAULT_PORTAL_ID, DEFAULT_SEED } from './state';
export { ALL_SCOPES, DEFAULT_TOKEN, DEFAULT_TOKENS, type Tokens } from './auth';
export { HUBSPOT_LIMITS, NO_LIMITS, type ThrottleLimits } from './throttle';
export { DEFAULT_WEBHOOKS, type WebhookAttempt, type WebhookEvent } from './webhooks';
export type { FaultSpec } from './faults';
export type { ApiObject } from './records';
export { OBJECT_TYPES, modifiedProperty, type ObjectType } from './object-types';
