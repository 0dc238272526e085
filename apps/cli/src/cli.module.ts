import { AuthModule } from '@app/auth';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { SourcesModule } from '@app/sources';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';

/** Operator commands: domain modules without HTTP. Logs go to stderr so stdout carries only results. */
@Module({
  imports: [
    ConfigModule.forRoot(),
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: [{ level: config.log.level }, pino.destination(2)] }),
    }),
    DatabaseModule,
    AuthModule,
    SourcesModule,
  ],
})
export class CliModule {}
