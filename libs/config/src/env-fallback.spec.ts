import { applyEnvFallback, type EnvFallback } from './env-fallback';

const NAMES = ['ENCRYPTION_KEYS', 'ENCRYPTION_ACTIVE_KEY'];

function fallback(values: Record<string, string> | undefined): EnvFallback & { reads: number } {
  const sut = { names: NAMES, reads: 0, read: () => (sut.reads++, values) };
  return sut;
}

describe(applyEnvFallback.name, () => {
  const keyring = { ENCRYPTION_KEYS: 'v1:abc', ENCRYPTION_ACTIVE_KEY: 'v1' };

  it('fills the group in when every variable of it is unset or empty', () => {
    const source = fallback(keyring);
    expect(applyEnvFallback({ LOG_LEVEL: 'debug', ENCRYPTION_KEYS: '' }, source)).toEqual({
      LOG_LEVEL: 'debug',
      ...keyring,
    });
    expect(source.reads).toBe(1);
  });

  it('leaves the environment alone, without reading, when any variable of the group is set', () => {
    const source = fallback(keyring);
    const env = { ENCRYPTION_ACTIVE_KEY: 'v2' };
    expect(applyEnvFallback(env, source)).toBe(env);
    expect(source.reads).toBe(0);
  });

  it('leaves the environment alone when the fallback has nothing to offer', () => {
    const env = { LOG_LEVEL: 'info' };
    expect(applyEnvFallback(env, fallback(undefined))).toBe(env);
    expect(applyEnvFallback(env, undefined)).toBe(env);
  });
});
