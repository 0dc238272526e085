// No Docker engine runs on our machines, so docker/compose.yml and docker/Dockerfile are checked by reading
// them: services, pinned images, ports, environment, dependencies, healthchecks and the image targets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvVariables, SENSITIVE_VARIABLES } from '@app/config';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
}

const DOCKER = join(__dirname, '..', '..', 'docker');
const read = (file: string): string => readFileSync(join(DOCKER, file), 'utf8');
// `merge: true`: api and worker share their environment through a YAML merge key, as compose reads it.
const { services } = parse(read('compose.yml'), { merge: true }) as { services: Record<string, Service> };
// Missing services (and stages below) read as empty: the first test of each block names what is missing.
const service = (name: string): Service => services[name] ?? {};
// Every variable libs/config reads: the defaulted ones plus those without a default (see load-config.spec.ts).
const OPTIONAL = ['API_PUBLIC_URL', 'ENCRYPTION_KEYS', 'ENCRYPTION_ACTIVE_KEY'];
const KNOWN = new Set([...Object.keys(new EnvVariables()), ...OPTIONAL]);
const SECRET = (name: string): boolean =>
  (SENSITIVE_VARIABLES as readonly string[]).includes(name) || /PASSWORD|PWD|SECRET/.test(name);
// container port -> host port ("[host ip:]host:container", the address dropped); depends_on -> conditions.
const published = (name: string): Record<string, string> =>
  Object.fromEntries((service(name).ports ?? []).map((p) => String(p).split(':').slice(-2).reverse()));
const conditionsOf = (s: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([dep, d]) => [dep, d.condition]));

describe('docker/compose.yml', () => {
  it('runs postgres, the Temporal schema and namespace jobs, temporal, temporal-ui, api and worker', () => {
    const expected = ['postgres', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'api', 'worker'];
    expect(Object.keys(services).sort()).toEqual(expected.sort());
  });

  it('pins every image (no latest), Temporal to exact releases, and never uses the deprecated auto-setup', () => {
    const images = Object.values(services).flatMap((s) => (s.image ? [s.image] : []));
    expect(images).toHaveLength(5);
    images.forEach((image) => expect(image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/));
    expect(images.filter((i) => i.includes('auto-setup'))).toEqual([]);
    const server = service('temporal').image!.split(':')[1];
    expect(server).toMatch(/^1\.29\.\d+$/);
    // admin-tools tags read <server version>-tctl-…-cli-…: the schema must be the one this server expects.
    expect(service('temporal-schema').image).toMatch(new RegExp(`^temporalio/admin-tools:${server}-`));
    expect(service('temporal-namespace').image).toBe(service('temporal-schema').image);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  it('sets up both Temporal databases with admin-tools before the server starts', () => {
    const script = service('temporal-schema').command!.join('\n');
    expect(service('temporal-schema').environment).toMatchObject({ SQL_PLUGIN: 'postgres12', SQL_HOST: 'postgres' });
    for (const [db, dir] of Object.entries({ temporal: 'temporal', temporal_visibility: 'visibility' })) {
      expect(script).toContain(`temporal-sql-tool --db ${db} create-database`);
      expect(script).toContain(`temporal-sql-tool --db ${db} setup-schema -v 0.0`);
      expect(script).toContain(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`);
    }
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
  });

  it('orders start-up: healthy postgres, schema job, healthy temporal, namespace job, healthy api', () => {
    const conditions = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, conditionsOf(s)]));
    const [healthy, completed] = ['service_healthy', 'service_completed_successfully'];
    expect(conditions).toEqual({
      postgres: {},
      'temporal-schema': { postgres: healthy },
      temporal: { 'temporal-schema': completed },
      'temporal-namespace': { temporal: healthy },
      'temporal-ui': { temporal: healthy },
      api: { postgres: healthy, temporal: healthy, 'temporal-namespace': completed },
      worker: { api: healthy, temporal: healthy, 'temporal-namespace': completed },
    });
    // A service waited on as healthy must define how it is healthy.
    const waitedOn = Object.values(conditions).flatMap((c) => Object.keys(c).filter((dep) => c[dep] === healthy));
    waitedOn.forEach((dep) => expect(service(dep).healthcheck).toBeDefined());
    expect(service('postgres').healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(service('api').healthcheck!.test.join(' ')).toContain('/health/live');
  });

  it('publishes api 3000, Temporal 7233 and the UI on 8233', () => {
    expect(published('api')).toEqual({ '3000': '3000' });
    expect(published('temporal')).toEqual({ '7233': '7233' });
    expect(published('temporal-ui')).toEqual({ '8080': '8233' });
    expect(published('postgres')).toEqual({});
  });

  it('gives api and worker only variables our config knows, pointing at the compose services', () => {
    for (const name of ['api', 'worker']) {
      const env = service(name).environment!;
      expect(Object.keys(env).filter((key) => !KNOWN.has(key))).toEqual([]);
      expect(env).toMatchObject({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233' });
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\/tributary$/);
      expect(env.STRIPE_API_BASE_URL).toBe('${TRIBUTARY_STRIPE_API_BASE_URL:-https://api.stripe.com}');
    }
    expect(service('api').environment).toMatchObject({ API_HOST: '0.0.0.0', API_PORT: '3000' });
    expect(service('api').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: 'api' });
    expect(service('worker').build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: 'worker' });
  });

  it('requires every secret from the caller (${VAR:?…}) and defaults none', () => {
    const secrets = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.environment ?? {}).flatMap(([key, value]) => (SECRET(key) ? [`${name}.${key}=${value}`] : [])),
    );
    expect(secrets.map((secret) => secret.split('=')[0])).toContain('worker.ENCRYPTION_KEYS');
    // Each one names a required variable, and no ${VAR:-default} or ${VAR-default} sneaks a value in.
    secrets.forEach((secret) => expect(secret).toMatch(/=.*\$\{[A-Z_]+:\?[^}]+\}/));
    secrets.forEach((secret) => expect(secret).not.toMatch(/\$\{[A-Z_]+:?-/));
  });
});

describe('docker/Dockerfile', () => {
  const text = read('Dockerfile');
  // Stage name -> its instructions; FROM <stage> lines make a child inherit its parent's instructions.
  const stages = new Map<string, string[]>();
  for (const block of text.split(/^(?=FROM )/m).filter((b) => b.startsWith('FROM '))) {
    const [, base, name] = /^FROM (\S+) AS (\S+)/.exec(block)!;
    stages.set(name, [...(stages.get(base) ?? [`FROM ${base}`]), ...block.split('\n').slice(1)]);
  }
  const lines = (target: string): string[] => stages.get(target) ?? [];

  it('builds deps (npm ci), build (npm run build, prune) on node 24 slim from a context without secrets', () => {
    expect([...stages.keys()]).toEqual(expect.arrayContaining(['deps', 'build', 'api', 'worker']));
    expect(text).toContain('ARG NODE_IMAGE=node:24-bookworm-slim');
    expect(lines('deps').join('\n')).toMatch(/npm ci/);
    expect(lines('build').join('\n')).toMatch(/npm run build[\s\S]*npm prune --omit=dev/);
    const ignored = read('Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.data', '.git', '**/.env']));
  });

  it.each(['api', 'worker'])('runs %s as a non-root user in production mode from dist only', (target) => {
    const users = lines(target).filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toMatch(/^USER (?!root\b|0\b)\S+/);
    expect(lines(target)).toContain('ENV NODE_ENV=production');
    expect(lines(target)[0]).toBe('FROM ${NODE_IMAGE}');
    expect(lines(target).filter((l) => /^COPY (\. |--from=build \/app )/.test(l))).toEqual([]);
    expect(lines(target)).toContain(`CMD ["node", "dist/apps/${target}/src/main.js"]`);
  });

  it('exposes 3000 with a liveness healthcheck on the api, and ships the workflow bundle in the worker', () => {
    expect(lines('api')).toContain('EXPOSE 3000');
    expect(lines('api').join('\n')).toMatch(/HEALTHCHECK[\s\S]*"node", "-e"[\s\S]*\/health\/live/);
    expect(lines('worker')).toContain('COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js');
    expect(lines('api').join('\n')).not.toContain('workflow-bundle.js');
  });
});
