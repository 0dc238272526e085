// Sandbox-safe entry: workflow code only (no Nest, no Node built-ins).
export { checkSourceConnection } from './check-source-connection.workflow';
export { syncCloudApp } from './sync-cloud-app.workflow';
export { syncSourceObject } from './sync-source-object.workflow';
export { applyStripeEvent } from './apply-stripe-event.workflow';
export { syncSource } from './sync-source.workflow';
