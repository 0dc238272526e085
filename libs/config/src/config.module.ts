import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './app-config';
import { loadConfigFromEnv } from './load-config';

@Global()
@Module({})
export class ConfigModule {
  /** Validates process.env (or the given config, for tests) once, at module creation. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useFactory: () => config ?? loadConfigFromEnv() }],
      exports: [APP_CONFIG],
    };
  }
}
