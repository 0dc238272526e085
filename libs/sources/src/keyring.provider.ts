import { Keyring } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Provider } from '@nestjs/common';

/** The credential keyring from ENCRYPTION_KEYS, for every module that seals or opens credentials. */
export const keyringProvider: Provider = {
  provide: Keyring,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new Keyring(config.encryption.keys, config.encryption.activeKeyId),
};
