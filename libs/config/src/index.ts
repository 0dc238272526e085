export { APP_CONFIG, type AppConfig } from './app-config';
export { bootFailureMessage, ConfigError } from './config.error';
export type { EnvFallback } from './env-fallback';
export { ConfigModule } from './config.module';
export { EnvVariables, SENSITIVE_VARIABLES } from './env.schema';
export { loadConfig, loadConfigFromEnv } from './load-config';
