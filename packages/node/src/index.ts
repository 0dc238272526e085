export { Tributary, type TributaryEvents } from './client.js';
export { ClientClosedError, QueueFullError } from './errors.js';
export type * from './types.js';
export { VERSION } from './version.js';
