// Sandbox-safe entry: workflow code only (no Nest, no Node built-ins).
export { checkSourceConnection } from './check-source-connection.workflow';
export { syncCloudApp } from './sync-cloud-app.workflow';
export { syncSourceObject } from './sync-source-object.workflow';
export { applyStripeEvent, applyWebhookEvent } from './apply-webhook-event.workflow';
export { syncSource } from './sync-source.workflow';
