import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { activityErrorInterceptors } from './activity-error.interceptor';
import { ProviderError } from '@app/connectors';

interface Logged {
  level: string;
  line: Record<string, unknown>;
  message: string;
}

function environment(attempt = 1): { env: MockActivityEnvironment; logged: Logged[] } {
  const logged: Logged[] = [];
  const interceptor = activityErrorInterceptors((level, line, message) => logged.push({ level, line, message }));
  const env = new MockActivityEnvironment(
    { activityType: 'syncPage', attempt },
    {
      interceptors: [interceptor],
      logger: new DefaultLogger('ERROR', () => undefined), // the SDK's own "Activity failed" lines
    },
  );
  return { env, logged };
}

async function failureOf(env: MockActivityEnvironment, error: Error): Promise<ApplicationFailure> {
  const thrown: unknown = await env.run(() => Promise.reject(error)).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(ApplicationFailure);
  return thrown as ApplicationFailure;
}

describe(activityErrorInterceptors.name, () => {
  it('masks a programming error, refuses to retry it, and logs the detail under the same error id', async () => {
    const { env, logged } = environment(1);
    const failure = await failureOf(env, new TypeError("Cannot read properties of null (reading 'map')"));
    const errorId = /error id ([0-9a-f-]{36})/.exec(failure.message)?.[1];
    expect(errorId).toBeDefined();
    expect(failure).toMatchObject({ type: 'InternalError', nonRetryable: true });
    expect(failure.message).not.toContain('Cannot read');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'error',
      line: { errorId, errorClass: 'programming', activity: 'syncPage', attempt: 1 },
    });
    expect((logged[0].line.err as Error).message).toContain('Cannot read properties of null');
  });

  it('keeps a database error retryable, with a fresh error id per attempt', async () => {
    const { env, logged } = environment(2);
    const error = Object.assign(new Error('could not serialize access'), { code: '40001', severity: 'ERROR' });
    const first = await failureOf(env, error);
    const second = await failureOf(env, error);
    expect(first).toMatchObject({ type: 'DatabaseError', nonRetryable: false });
    expect(first.message).not.toBe(second.message);
    expect(logged.map((l) => [l.level, l.line.attempt])).toEqual([
      ['warn', 2],
      ['warn', 2],
    ]);
  });

  it('leaves provider errors to their taxonomy, without a log line of its own', async () => {
    const { env, logged } = environment(1);
    const failure = await failureOf(env, new ProviderError('rate_limited', 'Stripe rate limit reached', 'stripe', 429));
    expect(failure).toMatchObject({ type: 'Provider_rate_limited', message: 'Stripe rate limit reached' });
    expect(logged).toHaveLength(0);
  });

  it('lets a successful result through', async () => {
    const { env, logged } = environment();
    await expect(env.run(() => Promise.resolve({ done: true }))).resolves.toEqual({ done: true });
    expect(logged).toHaveLength(0);
  });
});
