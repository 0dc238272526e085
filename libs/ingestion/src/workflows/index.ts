// Sandbox-safe entry: workflow code only (no Nest, no Node built-ins).
export { replayQuarantine } from './replay-quarantine.workflow';
