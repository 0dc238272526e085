import { buildDataSourceOptions } from '@app/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

export function testDataSource(url: string, applicationName = 'tributary-test'): DataSource {
  return new DataSource(buildDataSourceOptions({ url, poolSize: 4, applicationName }));
}

export async function migrateFresh(url: string): Promise<void> {
  const ds = await testDataSource(url).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** Empties every table of the test database (keeps the schema and the migrations table). */
export async function truncateAll(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'TRUNCATE workspaces, api_tokens, sources, source_write_keys, source_credentials, sync_runs, sync_state, records, source_task_queues, events, event_dedupe CASCADE',
    );
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test cluster (for migration and lock tests). */
export async function createScratchDatabase(name: string): Promise<string> {
  const admin = requiredEnv('TEST_PG_ADMIN_URL');
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/postgres$/, `/${name}`);
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this test through the server tier config (test/jest-servers.config.js)`);
  }
  return value;
}

/** One query on the test database, on its own short-lived connection (for assertions on raw rows). */
export async function queryTestDb<T extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: requiredEnv('TEST_DATABASE_URL') });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
