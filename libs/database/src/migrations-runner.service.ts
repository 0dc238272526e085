import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runMigrationsWithLock } from './run-migrations';

/** Applies pending migrations at boot (api only; the worker never migrates). */
@Injectable()
export class MigrationsRunnerService implements OnModuleInit {
  private readonly logger = new Logger(MigrationsRunnerService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.skipMigrations) {
      this.logger.warn('DB_SKIP_MIGRATIONS is set: not applying migrations');
      return;
    }
    const applied = await runMigrationsWithLock(this.dataSource);
    this.logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  }
}
