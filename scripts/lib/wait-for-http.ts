import { connect } from 'node:net';

export interface WaitOptions {
  /** What we wait for, in the timeout message ("the api"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Extra advice appended to the timeout message. */
  hint?: string;
}

/** Polls `url` until it answers 200; rejects with a readable message after the timeout. */
export async function waitForHttpOk(url: string, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) {
        return;
      }
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = causeOf(error);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
  const seconds = Math.round(options.timeoutMs / 1000);
  throw new Error(
    `${options.what} was not ready after ${seconds} s: GET ${url} → ${last}${options.hint ? `. ${options.hint}` : ''}`,
  );
}

/** True when something accepts TCP connections on host:port. */
export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// fetch() hides the useful part (ECONNREFUSED…) in error.cause.
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
