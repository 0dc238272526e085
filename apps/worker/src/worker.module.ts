import { APP_CONFIG, type AppConfig, ConfigModule } from '@app/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

/**
 * The worker process (a Nest application context, no HTTP). Until Temporal arrives (issue 4) it only
 * validates configuration, logs, and shuts down cleanly on SIGTERM/SIGINT.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({ pinoHttp: { level: c.log.level } }),
        }),
      ],
    };
  }
}
