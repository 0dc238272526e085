import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  applicationName?: string;
}

/** The one source of TypeORM options, shared by the apps, the TypeORM CLI and the tests. */
export function buildDataSourceOptions(db: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // Schema changes only ever come from reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
    // gen_random_uuid() is built into PostgreSQL 13+; creating extensions would need superuser rights.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: db.poolSize, application_name: db.applicationName ?? 'tributary' },
  };
}
