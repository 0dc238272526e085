// For bundler users: `import { createTributary } from '@tributary/browser'`, then `load(writeKey, { host })`.
export { createTributary, METHODS, type Tributary } from './api';
export { snippet } from './snippet';
export type { AutocaptureSettings, CallOptions, LoadOptions, Message, Properties } from './types';
