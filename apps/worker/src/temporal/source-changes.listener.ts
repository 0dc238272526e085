import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The channel the api notifies (pg_notify, on commit) when a source is created, paused, resumed or deleted. */
export const SOURCES_CHANNEL = 'tributary_sources';

/**
 * Listens for source changes on a dedicated Postgres connection and calls back at once; reconnects with
 * backoff when the connection drops (the periodic reconcile covers the gap).
 */
@Injectable()
export class SourceChangesListener {
  private readonly logger = new Logger('SourceChanges');
  private client?: Client;
  private stopped = false;
  private retryDelayMs = 1000;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async start(onChange: () => void): Promise<void> {
    this.stopped = false;
    await this.connect(onChange);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(onChange: () => void): Promise<void> {
    const client = new Client({
      connectionString: this.config.database.url,
      application_name: 'tributary-worker-listen',
    });
    client.on('notification', () => onChange());
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
      this.scheduleReconnect(onChange);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SOURCES_CHANNEL}`);
      this.client = client;
      this.retryDelayMs = 1000;
      onChange(); // changes may have happened while we were not listening
    } catch (error) {
      await client.end().catch(() => undefined);
      this.logger.warn(`cannot LISTEN (${error instanceof Error ? error.message : String(error)}); retrying`);
      this.scheduleReconnect(onChange);
    }
  }

  private scheduleReconnect(onChange: () => void): void {
    if (this.stopped) {
      return;
    }
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 30_000);
    setTimeout(() => void this.connect(onChange), delay).unref();
  }
}
