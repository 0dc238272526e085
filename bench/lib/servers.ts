// A throwaway PostgreSQL (migrated) and a headless, in-memory Temporal dev server on free ports, both
// stopped by the bench's cleanup.
import { buildDataSourceOptions } from '@app/database';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { ensureTemporal } from '../../scripts/lib/ensure-temporal';
import { freePort } from '../../scripts/lib/free-port';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { type BenchContext, sleep } from './harness';

const METRICS_BANNER_WAIT_MS = 5_000;

export interface BenchServers {
  tmpDir: string;
  databaseUrl: string;
  temporalAddress: string;
  /** `temporal --version`, first line. */
  temporalCli: string;
  /** The dev server's Prometheus endpoint (it prints it at start), when it did. */
  temporalMetricsUrl?: string;
  /** PostgreSQL's postmaster (its backends are its children): benches measure their CPU. */
  postgresPid: number;
}

export async function startServers(ctx: BenchContext): Promise<BenchServers> {
  const tmpDir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  ctx.defer('remove the temp folder', () => rmSync(tmpDir, { recursive: true, force: true }));
  const binary = await ensureTemporal(ctx.log);
  const temporalCli = execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  // allSettled: whichever starts registers its own cleanup before we give up on the other.
  const [pg, temporal] = await Promise.allSettled([startPostgres(ctx, tmpDir), startTemporal(ctx, binary)]);
  if (pg.status === 'rejected' || temporal.status === 'rejected') {
    throw pg.status === 'rejected' ? pg.reason : (temporal as PromiseRejectedResult).reason;
  }
  await migrate(pg.value.url);
  return { tmpDir, databaseUrl: pg.value.url, postgresPid: pg.value.pid, temporalCli, ...temporal.value };
}

async function startPostgres(ctx: BenchContext, tmpDir: string): Promise<{ url: string; pid: number }> {
  const pg = await startEmbeddedPostgres({
    dataDir: join(tmpDir, 'pg'),
    port: await freePort(),
    database: 'tributary_bench',
    ephemeral: true,
  });
  // As root the data may have moved out of tmpDir (see embedded-postgres.ts): remove it there too.
  if (relative(tmpDir, pg.dataDir).startsWith('..')) {
    ctx.defer('remove the PostgreSQL data', () => rmSync(pg.dataDir, { recursive: true, force: true }));
  }
  ctx.defer('stop PostgreSQL', () => pg.stop());
  // The postmaster's pid is the first line of postmaster.pid in its data directory.
  const pid = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { url: pg.url('tributary_bench'), pid };
}

async function startTemporal(
  ctx: BenchContext,
  binary: string,
): Promise<{ temporalAddress: string; temporalMetricsUrl?: string }> {
  let metricsSeen: (url: string) => void = () => undefined;
  const metricsUrl = new Promise<string>((resolveFn) => (metricsSeen = resolveFn));
  const server = await startTemporalDevServer({
    binary,
    port: await freePort(),
    headless: true,
    log: (line) => {
      const found = /^Metrics:\s+(http\S+)/.exec(line.trim());
      if (found) {
        metricsSeen(found[1]);
      }
    },
    onUnexpectedExit: (reason) => ctx.log(reason),
  });
  ctx.defer('stop Temporal', () => server.stop());
  // It prints its banner (with the metrics address) just after it starts serving.
  const temporalMetricsUrl = await Promise.race([metricsUrl, sleep(METRICS_BANNER_WAIT_MS).then(() => undefined)]);
  if (!temporalMetricsUrl) {
    ctx.log('the Temporal dev server printed no metrics address: open polls will not be counted');
  }
  return { temporalAddress: server.address, temporalMetricsUrl };
}

async function migrate(url: string): Promise<void> {
  const ds = await new DataSource(
    buildDataSourceOptions({ url, poolSize: 2, applicationName: 'tributary-bench' }),
  ).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
