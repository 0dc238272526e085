/** The in-memory queue is full: ingest is unreachable or slower than the producer. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  constructor(readonly maxQueueSize: number) {
    super(
      `Tributary queue is full (${maxQueueSize} calls waiting for ingest): the call was not queued. ` +
        'Await client.flush() before sending more, or raise maxQueueSize.',
    );
  }
}

/** A call after close(). */
export class ClientClosedError extends Error {
  override readonly name = 'ClientClosedError';
  constructor() {
    super('Tributary client is closed: create a new client to send more calls.');
  }
}
