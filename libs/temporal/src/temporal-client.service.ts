import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';

/**
 * The api's Temporal client. The connection is lazy: the api boots (and answers health checks saying
 * Temporal is down) even when the server is not up yet.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  readonly namespace: string;
  readonly uiUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address });
    this.namespace = config.temporal.namespace;
    this.uiUrl = config.temporal.uiUrl;
    this.client = new Client({ connection: this.connection, namespace: this.namespace });
  }

  /** Throws when the Temporal frontend does not answer within the deadline. */
  async ping(timeoutMs = 2000): Promise<void> {
    await this.connection.withDeadline(Date.now() + timeoutMs, () => this.connection.workflowService.getSystemInfo({}));
  }

  // Not onModuleDestroy: Nest runs that before it closes the HTTP server, and requests still in flight
  // (starting workflows) need the connection until they finish.
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
