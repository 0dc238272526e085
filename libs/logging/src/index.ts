export { createRootLogger, loggerModuleParams, REDACTED_PATHS, serializeError } from './logger-options';
