import { APP_CONFIG, type AppConfig } from '@app/config';
import { ensureSearchAttributes } from '@app/temporal';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DefaultLogger, type LogEntry, NativeConnection, Runtime } from '@temporalio/worker';

/** One Temporal runtime and one NativeConnection for every Worker of this process. */
@Injectable()
export class TemporalRuntimeService {
  private readonly logger = new Logger('Temporal');
  private connectionPromise?: Promise<NativeConnection>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  connection(): Promise<NativeConnection> {
    this.connectionPromise ??= this.connect();
    return this.connectionPromise;
  }

  async close(): Promise<void> {
    const connection = await this.connectionPromise?.catch(() => undefined);
    await connection?.close();
  }

  private async connect(): Promise<NativeConnection> {
    installRuntime();
    const { address, namespace } = this.config.temporal;
    const connection = await NativeConnection.connect({ address });
    const result = await ensureSearchAttributes(connection, namespace);
    if ('refused' in result) {
      this.logger.warn(
        `The server refused to create search attributes (${result.refused}); create them there (e.g. Temporal Cloud console)`,
      );
    } else if (result.added.length > 0) {
      this.logger.log(`registered search attributes ${result.added.join(', ')}`);
    }
    this.logger.log(`connected to Temporal at ${address}, namespace ${namespace}`);
    return connection;
  }
}

let installed = false;
const sdkLogger = new Logger('TemporalSDK');

// Activity-only workers (one per source) are meant to poll no workflows; that warning is expected noise.
const EXPECTED = /^No workflows registered, not polling for workflow tasks/;

/** SDK log lines go through our logger (JSON, redaction) instead of the SDK's own stderr format. */
function forwardSdkLog(entry: LogEntry): void {
  if (EXPECTED.test(entry.message)) {
    return;
  }
  // The SDK names the failure `error`; under `err` it goes through the shared error serialiser.
  const { error, ...meta }: Record<string, unknown> = entry.meta ?? {};
  const line = { ...meta, ...(error === undefined ? {} : { err: error }), msg: entry.message };
  if (entry.level === 'ERROR') {
    sdkLogger.error(line);
  } else {
    sdkLogger.warn(line);
  }
}

// Our own shutdown hooks stop the workers in order; the SDK must not install signal handlers of its own.
function installRuntime(): void {
  if (installed) {
    return;
  }
  try {
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN', forwardSdkLog) });
  } catch {
    // Already installed in this process (tests run several workers in one process): keep that one.
  }
  installed = true;
}
