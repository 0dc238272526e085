import { faultError, parseFault } from './faults';

describe(parseFault.name, () => {
  it('accepts a 400 with our own message, and a malformed body', () => {
    expect(parseFault({ status: 400, message: 'TEXT' })).toEqual({ status: 400, message: 'TEXT', count: 1 });
    expect(parseFault({ malformed: true, count: 2 })).toEqual({ malformed: true, count: 2 });
  });

  it.each([
    [{ delayMs: 10, message: 'no status' }, /only with status/],
    [{ status: 500, message: 7 }, /message must be a string/],
    [{ malformed: true, status: 500 }, /not with status/],
    [{ status: 404 }, /status must be 400, 429 or 500/],
  ])('refuses %j', (body, reason) => {
    expect(() => parseFault(body)).toThrow(reason);
  });
});

describe(faultError.name, () => {
  it('answers with the given message instead of Stripe’s text', () => {
    expect(faultError({ status: 500, message: 'ZEBRA' })).toMatchObject({ status: 500, message: 'ZEBRA' });
    expect(faultError({ status: 429, message: 'ZEBRA' })).toMatchObject({ status: 429, code: 'rate_limit' });
    expect(faultError({ status: 400, message: 'ZEBRA' })).toMatchObject({ status: 400, type: 'invalid_request_error' });
  });
});

describe('parseFault path', () => {
  it('takes an API path only', () => {
    expect(parseFault({ status: 500, path: '/v1/customers' })).toMatchObject({ path: '/v1/customers' });
    expect(() => parseFault({ status: 500, path: '/_emulator/stats' })).toThrow(/path must be an API path/);
  });
});
