import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { EnvVariables } from './env.schema';
import { loadConfig } from './load-config';

const key = (): string => randomBytes(32).toString('base64');
const minimal = (): Record<string, string> => ({ ENCRYPTION_KEYS: `v1:${key()}`, ENCRYPTION_ACTIVE_KEY: 'v1' });

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('applies defaults to a minimal environment', () => {
    const sut = loadConfig(minimal());
    expect(sut.api).toEqual({ host: '127.0.0.1', port: 3000, publicUrl: undefined, bodyLimitBytes: 1048576 });
    expect(sut.database).toEqual({
      url: 'postgres://postgres:postgres@127.0.0.1:54329/tributary',
      poolSize: 10,
      skipMigrations: false,
    });
    expect(sut.encryption.activeKeyId).toBe('v1');
    expect(sut.encryption.keys.get('v1')).toHaveLength(32);
    expect(sut.stripe.requestRate).toEqual({ live: { perSecond: 95, burst: 5 }, test: { perSecond: 20, burst: 5 } });
    expect(sut.hubspot).toEqual({ apiBaseUrl: 'https://api.hubapi.com', requestRate: { perSecond: 9, burst: 5 } });
    expect(sut.shopify).toEqual({ apiBaseUrl: null, costRate: { perSecond: 100, burst: 2000 } });
  });

  it("takes a HubSpot portal's request rate for its tier", () => {
    const config = loadConfig({ ...minimal(), HUBSPOT_REQUESTS_PER_SECOND: '18', HUBSPOT_REQUEST_BURST: '10' });
    expect(config.hubspot.requestRate).toEqual({ perSecond: 18, burst: 10 });
    expect(problemsOf({ ...minimal(), HUBSPOT_REQUESTS_PER_SECOND: '0' })).toEqual([
      expect.stringMatching(/^HUBSPOT_REQUESTS_PER_SECOND/),
    ]);
  });

  it('takes the Shopify API origin without a path, or none (each shop its own)', () => {
    expect(loadConfig({ ...minimal(), SHOPIFY_API_BASE_URL: 'http://127.0.0.1:4244' }).shopify.apiBaseUrl).toBe(
      'http://127.0.0.1:4244',
    );
    expect(loadConfig({ ...minimal(), SHOPIFY_API_BASE_URL: '' }).shopify.apiBaseUrl).toBeNull();
    const problems = problemsOf({ ...minimal(), SHOPIFY_API_BASE_URL: 'http://127.0.0.1:4244/admin' });
    expect(problems).toEqual([expect.stringMatching(/^SHOPIFY_API_BASE_URL.*scheme:\/\/host\[:port\] without a path/)]);
  });

  it('takes the HubSpot API origin without a path', () => {
    expect(loadConfig({ ...minimal(), HUBSPOT_API_BASE_URL: 'http://127.0.0.1:4243' }).hubspot.apiBaseUrl).toBe(
      'http://127.0.0.1:4243',
    );
    const problems = problemsOf({ ...minimal(), HUBSPOT_API_BASE_URL: 'http://127.0.0.1:4243/crm' });
    expect(problems).toEqual([expect.stringMatching(/^HUBSPOT_API_BASE_URL.*scheme:\/\/host\[:port\] without a path/)]);
  });

  it('parses numbers and booleans from strings and treats empty as unset', () => {
    const sut = loadConfig({ ...minimal(), API_PORT: '8080', DB_SKIP_MIGRATIONS: 'true', LOG_LEVEL: '' });
    expect(sut.api.port).toBe(8080);
    expect(sut.database.skipMigrations).toBe(true);
    expect(sut.log.level).toBe('info');
  });

  it('names every invalid variable and what it expects', () => {
    const problems = problemsOf({ ...minimal(), API_PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('API_PORT'))).toMatch(/must not be greater than 65535|must be an integer/);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL'))).toContain('one of the following values');
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('postgres://');
  });

  it('requires the keyring and never echoes secret values', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://u:hunter2@h/db', ENCRYPTION_KEYS: 'v1:short' });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems.some((p) => p.startsWith('ENCRYPTION_ACTIVE_KEY (unset)'))).toBe(true);
    const badLength = problemsOf({ ENCRYPTION_KEYS: 'v1:c2hvcnQ=', ENCRYPTION_ACTIVE_KEY: 'v1' });
    expect(badLength).toEqual([expect.stringContaining('decodes to 5 bytes')]);
  });

  it('configures ingest: defaults, and a public URL without a path', () => {
    expect(loadConfig(minimal()).ingest).toEqual({ host: '127.0.0.1', port: 3001, publicUrl: 'http://127.0.0.1:3001' });
    const set = loadConfig({ ...minimal(), INGEST_PORT: '4001', INGEST_PUBLIC_URL: 'https://in.example.com:8443' });
    expect(set.ingest).toMatchObject({ port: 4001, publicUrl: 'https://in.example.com:8443' });
    expect(loadConfig({ ...minimal(), INGEST_PUBLIC_URL: 'http://[::1]:3001' }).ingest.publicUrl).toBe(
      'http://[::1]:3001',
    );
    for (const bad of ['https://in.example.com/', 'https://in.example.com/hooks', 'in.example.com', 'ftp://x']) {
      expect(problemsOf({ ...minimal(), INGEST_PUBLIC_URL: bad })).toEqual([
        expect.stringMatching(/^INGEST_PUBLIC_URL \(".*"\): must be scheme:\/\/host\[:port\] without a path/),
      ]);
    }
    expect(problemsOf({ ...minimal(), INGEST_PORT: '70000' })).toEqual([expect.stringMatching(/^INGEST_PORT/)]);
  });

  it('requires the active key to be in the ring', () => {
    const problems = problemsOf({ ENCRYPTION_KEYS: `v1:${key()},v2:${key()}`, ENCRYPTION_ACTIVE_KEY: 'v3' });
    expect(problems).toEqual([expect.stringContaining('must name a key in ENCRYPTION_KEYS (present: v1, v2)')]);
  });

  it('is mirrored by .env.example, variable for variable', () => {
    const example = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    const declared = [
      ...new Set(
        Object.keys(new EnvVariables()).concat(
          'API_PUBLIC_URL',
          'SHOPIFY_API_BASE_URL',
          'ENCRYPTION_KEYS',
          'ENCRYPTION_ACTIVE_KEY',
        ),
      ),
    ].sort();
    expect(listed).toEqual(declared);
  });

  it('reads the api edge limits and TRUST_PROXY as Fastify takes it', () => {
    const sut = loadConfig(minimal());
    expect(sut.graphql).toMatchObject({ maxCost: 5000, maxAliases: 30 });
    expect(sut.authFailures).toEqual({ perAddress: 10, perProcess: 200, windowMs: 60_000 });
    expect(sut.trustProxy).toBe(false);
    expect(loadConfig({ ...minimal(), TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...minimal(), TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...minimal(), TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(problemsOf({ ...minimal(), TRUST_PROXY: '10.0.0.0/33,abc' })).toEqual([
      'TRUST_PROXY ("10.0.0.0/33,abc"): 10.0.0.0/33, abc is not an IP address or CIDR (e.g. 10.0.0.0/8)',
    ]);
    expect(problemsOf({ ...minimal(), TRUST_PROXY: 'yes please' })).toHaveLength(1);
    expect(problemsOf({ ...minimal(), TRUST_PROXY: 'yes please' })[0]).toMatch(
      /^TRUST_PROXY \("yes please"\): must be false, true/,
    );
  });
});
