import { ProviderError } from '../core/provider-error';
import { type BulkCursor, decodeBulkCursor, encodeBulkCursor, forRun, runTag } from './shopify.bulk-cursor';

const cursor: BulkCursor = {
  object: 'orders',
  operation: 'gid://shopify/BulkOperation/42',
  position: 4000,
  restarts: 1,
  window: { gte: '2026-01-01T00:00:00Z' },
};
const forge = (value: object) => `sb1.${Buffer.from(JSON.stringify(value)).toString('base64url')}`;

describe('bulk cursor', () => {
  it('keeps the restarts within one run and gives another run a budget of its own', () => {
    const counted = { ...cursor, restarts: 3, run: runTag('run-1') };
    expect(runTag('run-1')).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(runTag('run-2')).not.toBe(runTag('run-1'));
    expect(forRun(counted, 'run-1')).toEqual(counted);
    expect(forRun(counted, 'run-2')).toEqual({ ...counted, restarts: 0, run: runTag('run-2') });
    expect(forRun({ ...cursor, restarts: 3 }, 'run-2')).toEqual({ ...cursor, restarts: 0, run: runTag('run-2') });
    // Unknown run (a reader used outside the engine): the count goes on.
    expect(forRun(counted, undefined)).toEqual(counted);
  });

  it('round-trips the job, the position, the restarts and the window', () => {
    const text = encodeBulkCursor(cursor);
    expect(text).toMatch(/^sb1\.[A-Za-z0-9_-]+$/);
    expect(decodeBulkCursor(text, 'orders')).toEqual(cursor);
    const held = { ...cursor, lease: '7f1c1c8e-3f0e-4a55-9d2a-2b1f3c4d5e6f' };
    expect(decodeBulkCursor(encodeBulkCursor(held), 'orders')).toEqual(held);
    const ofRun = { ...cursor, run: runTag('5b0b7f7e-4f0e-4a55-9d2a-2b1f3c4d5e6f') };
    expect(decodeBulkCursor(encodeBulkCursor(ofRun), 'orders')).toEqual(ofRun);
    const waiting = { ...cursor, operation: null, position: 0 };
    expect(decodeBulkCursor(encodeBulkCursor(waiting), 'orders')).toEqual(waiting);
  });

  it.each([
    ['another reader’s cursor', 'eyJpZCI6MX0', /is not one this reader wrote/],
    ['garbage', 'sb1.!!!', /is not valid JSON/],
    ['another object', forge({ ...cursor, object: 'customers' }), /belongs to "customers", not "orders"/],
    ['no job', forge({ ...cursor, operation: 'gid://shopify/Order/1' }), /names no bulk operation/],
    ['a missing job', forge({ ...cursor, operation: undefined }), /names no bulk operation/],
    ['a negative position', forge({ ...cursor, position: -1 }), /bad position/],
    ['a bad window', forge({ ...cursor, window: { gt: 'x' } }), /bad updated_at window/],
    ['a bad lease', forge({ ...cursor, lease: 42 }), /bad lease/],
    ['a bad run', forge({ ...cursor, run: 7 }), /bad run/],
  ])('refuses %s as invalid', (_case, text, message) => {
    const error = (() => {
      try {
        decodeBulkCursor(text, 'orders');
      } catch (caught) {
        return caught as ProviderError;
      }
      throw new Error('decoded');
    })();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(message);
  });
});
