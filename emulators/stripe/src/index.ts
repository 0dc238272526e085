// Public entry: tests start the emulator in-process on a free port; main.ts runs it standalone.
export { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './server';
export { EmulatorState, DEFAULT_CUSTOMERS, DEFAULT_KEYS, DEFAULT_SEED } from './state';
export type { Customer, DeletedCustomer } from './customers/customer';
export type { Subscription } from './subscriptions/subscription';
export type { Invoice } from './invoices/invoice';
export type { Charge } from './charges/charge';
export type { FaultSpec } from './faults';
export type { StatsSnapshot } from './stats';
export { PINNED_API_VERSION } from './http';
export { seedActivity, type ActivitySummary } from './activity';
