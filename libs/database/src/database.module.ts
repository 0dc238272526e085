import { APP_CONFIG, type AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source-options';

/** One TypeORM data source per process, configured from AppConfig. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions({ url: config.database.url, poolSize: config.database.poolSize }),
        // Fail the boot with the real error instead of retrying silently for minutes.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
