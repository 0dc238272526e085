import { InvariantError, invariant } from '@app/common';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { classifyActivityError, toActivityFailure } from './activity-errors';
import { ProviderError } from '@app/connectors';

const at = { activity: 'syncPage', attempt: 3, errorId: '3f2a0000-0000-4000-8000-000000000000' };

// Shapes as the drivers make them: pg's DatabaseError, node's socket errors, undici's fetch failure.
function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}
function socketError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { code });
}
function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe(classifyActivityError.name, () => {
  it.each([
    ['a TypeError', caught(() => (null as unknown as { a: number }).a)],
    ['a ReferenceError', new ReferenceError('x is not defined')],
    ['a RangeError', new RangeError('Invalid array length')],
    ['a failed invariant', caught(() => invariant(false, 'the cursor must belong to this run'))],
    ['an InvariantError', new InvariantError('broken')],
  ])('%s is a programming error', (_what, error) => {
    expect(classifyActivityError(error)).toBe('programming');
  });

  it.each([
    [
      'a TypeORM QueryFailedError',
      new QueryFailedError('SELECT 1', [], pgError('relation "x" does not exist', '42P01')),
    ],
    ['a pg DatabaseError', pgError('deadlock detected', '40P01')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('%s is a database error', (_what, error) => {
    expect(classifyActivityError(error)).toBe('database');
  });

  it.each([
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    [
      'a fetch failure (TypeError with a socket cause)',
      new TypeError('fetch failed', { cause: socketError('ECONNRESET') }),
    ],
    ['a fetch failure without a cause', new TypeError('fetch failed')],
    ['an undici timeout', socketError('UND_ERR_HEADERS_TIMEOUT')],
    [
      'an AbortSignal.timeout()',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    ],
  ])('%s is a network error', (_what, error) => {
    expect(classifyActivityError(error)).toBe('network');
  });

  it('a ProviderError keeps its own taxonomy', () => {
    expect(classifyActivityError(new ProviderError('auth', 'Stripe rejected the key', 'stripe', 401))).toBe('provider');
  });

  it.each([
    ['a plain Error', new Error('something')],
    ['a thrown string', 'oops'],
    ['an error with a non-SQLSTATE code', Object.assign(new Error('x'), { code: 'ERR_SOMETHING' })],
  ])('%s is unknown', (_what, error) => {
    expect(classifyActivityError(error)).toBe('unknown');
  });
});

describe(toActivityFailure.name, () => {
  const raw = 'duplicate key value violates unique constraint "records_pkey": Key (email)=(ada@example.com)';

  it.each([
    ['programming', new TypeError(raw), 'InternalError', 'Internal error', true],
    ['database', pgError(raw, '23505'), 'DatabaseError', 'Database error', false],
    ['network', socketError('ECONNRESET'), 'NetworkError', 'Network error', false],
    ['unknown', new Error(raw), 'UnexpectedError', 'Unexpected error', false],
  ] as const)('a %s error becomes our message with the error id', (errorClass, error, type, what, nonRetryable) => {
    const failure = toActivityFailure(error, errorClass, at) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable });
    expect(failure.message).toBe(`${what} in syncPage (error id ${at.errorId}): the worker log has the details`);
    expect(failure.cause).toBeUndefined();
    expect(JSON.stringify(failure.details)).not.toContain('ada@example.com');
  });

  it('a provider error keeps its own message and retry rule', () => {
    const error = new ProviderError('auth', 'Stripe rejected the secret key (401)', 'stripe', 401);
    expect(toActivityFailure(error, 'provider', at)).toMatchObject({
      type: 'Provider_auth',
      message: 'Stripe rejected the secret key (401)',
      nonRetryable: true,
    });
  });

  it("passes Temporal's own failures through unchanged", () => {
    const cancelled = new CancelledFailure('cancelled');
    expect(toActivityFailure(cancelled, 'unknown', at)).toBe(cancelled);
  });
});
