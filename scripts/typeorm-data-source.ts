// Data source for the TypeORM CLI (migration:generate/run/revert/show). Same options as the apps.
import { buildDataSourceOptions } from '@app/database';
import { DataSource } from 'typeorm';

const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54329/tributary';

export default new DataSource(buildDataSourceOptions({ url, poolSize: 2, applicationName: 'tributary-cli' }));
