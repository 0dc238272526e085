import { AuthModule } from '@app/auth';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { SourcesModule } from '@app/sources';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';

/** Operator commands: domain modules without HTTP. Logs go to stderr so stdout carries only results. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: cliImports(config) };
  }
}

function cliImports(config: AppConfig): DynamicModule['imports'] {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: [{ level: config.log.level }, pino.destination(2)] }),
    }),
    DatabaseModule,
    AuthModule,
    SourcesModule,
  ];
}
