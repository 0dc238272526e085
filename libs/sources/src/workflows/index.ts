// Sandbox-safe entry: workflow code only (no Nest, no Node built-ins).
export { purgeSource } from './purge-source.workflow';
export { registerSourceWebhook } from './register-source-webhook.workflow';
