import { APP_CONFIG, type AppConfig, ConfigModule } from '@app/config';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

/**
 * The worker process (a Nest application context, no HTTP). Until Temporal arrives (issue 4) it only
 * validates configuration, logs, and shuts down cleanly on SIGTERM/SIGINT.
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.log.level } }),
    }),
  ],
})
export class WorkerModule {}
