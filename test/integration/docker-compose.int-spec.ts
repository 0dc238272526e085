// No Docker engine runs on our machines, so docker/compose.yml and docker/Dockerfile are checked by reading
// them for what they must mean: which services exist, what each waits for before it starts, that what is
// waited on can report health, what is published, and what the apps are told. Not a copy of the file:
// renaming a job, reordering keys or adding a service keeps passing; breaking the start-up order does not.
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
  restart?: string;
}

const DOCKER = join(__dirname, '..', '..', 'docker');
const read = (file: string): string => readFileSync(join(DOCKER, file), 'utf8');
// `merge: true`: the apps share their environment through a YAML merge key, as compose reads it.
const { services } = parse(read('compose.yml'), { merge: true }) as { services: Record<string, Service> };
// Missing services (and stages below) read as empty: the first test of each block names what is missing.
const service = (name: string): Service => services[name] ?? {};
const APPS = ['api', 'ingest', 'worker'];
const [HEALTHY, COMPLETED] = ['service_healthy', 'service_completed_successfully'];
// Every variable libs/config reads: the defaulted ones plus those without a default (see load-config.spec.ts).
const OPTIONAL = ['API_PUBLIC_URL', 'ENCRYPTION_KEYS', 'ENCRYPTION_ACTIVE_KEY'];
const KNOWN = new Set([...Object.keys(new EnvVariables()), ...OPTIONAL]);
const SECRET = (name: string): boolean =>
  (SENSITIVE_VARIABLES as readonly string[]).includes(name) || /PASSWORD|PWD|SECRET/.test(name);

/** The one-shot admin-tools job that creates Temporal's schema (whatever it is called). */
const schemaJob = (): string =>
  Object.keys(services).find(
    (name) =>
      service(name).image?.startsWith('temporalio/admin-tools:') &&
      (service(name).command ?? []).join('\n').includes('temporal-sql-tool'),
  ) ?? '(no temporal admin-tools schema job)';
/** Jobs others wait on to complete; everything else runs for good. */
const oneShot = (name: string): boolean =>
  Object.values(services).some((s) => s.depends_on?.[name]?.condition === COMPLETED);
/** Every `dependency → condition` a service waits for, directly or through what it waits for. */
function waitsFor(name: string, seen = new Set<string>()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [dep, { condition }] of Object.entries(service(name).depends_on ?? {})) {
    out[dep] ??= condition;
    if (!seen.has(dep)) {
      seen.add(dep);
      Object.entries(waitsFor(dep, seen)).forEach(([d, c]) => (out[d] ??= c));
    }
  }
  return out;
}
/** Published ports as container port -> "host ip:host port" (host ip `*` = every interface). */
const published = (name: string): Record<string, string> =>
  Object.fromEntries(
    (service(name).ports ?? []).map((p) => {
      const parts = String(p).split(':');
      const [host, container] = parts.slice(-2);
      return [container, `${parts.length === 3 ? parts[0] : '*'}:${host}`];
    }),
  );
/** The port a healthcheck probes over HTTP, and the path. */
const probe = (name: string): { port: string; path: string } | undefined => {
  const match = /127\.0\.0\.1:(\d+)(\/[\w/]+)/.exec((service(name).healthcheck?.test ?? []).join(' '));
  return match ? { port: match[1], path: match[2] } : undefined;
};

describe('docker/compose.yml', () => {
  it('runs postgres, temporal with its admin-tools schema job, temporal-ui, api, ingest and worker', () => {
    const required = ['postgres', 'temporal', 'temporal-ui', ...APPS];
    expect(required.filter((name) => !services[name])).toEqual([]);
    expect(services[schemaJob()]).toBeDefined();
    expect(APPS.map((name) => service(name).build?.target)).toEqual(APPS);
    APPS.forEach((name) =>
      expect(service(name).build).toMatchObject({ context: '..', dockerfile: 'docker/Dockerfile' }),
    );
  });

  it('pins every image, keeps admin-tools on the server release, and never uses the deprecated auto-setup', () => {
    const images = Object.values(services).flatMap((s) => (s.image ? [s.image] : []));
    images.forEach((image) => expect(image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/));
    expect(images.filter((i) => i.includes('auto-setup'))).toEqual([]);
    expect(service('temporal').image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    const server = service('temporal').image!.split(':')[1];
    // admin-tools tags read <server version>-tctl-…-cli-…: the schema must be the one this server expects.
    const adminTools = images.filter((i) => i.startsWith('temporalio/admin-tools:'));
    adminTools.forEach((image) => expect(image).toMatch(new RegExp(`^temporalio/admin-tools:${server}-`)));
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  it('sets up both Temporal databases on the compose postgres before the server starts', () => {
    const job = service(schemaJob());
    const script = (job.command ?? []).join('\n');
    expect(job.environment).toMatchObject({ SQL_PLUGIN: 'postgres12', SQL_HOST: 'postgres' });
    for (const [db, dir] of Object.entries({ temporal: 'temporal', temporal_visibility: 'visibility' })) {
      expect(script).toContain(`temporal-sql-tool --db ${db} create-database`);
      expect(script).toContain(`temporal-sql-tool --db ${db} setup-schema -v 0.0`);
      expect(script).toContain(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`);
    }
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
  });

  it('starts each service only once what it needs is ready', () => {
    expect(waitsFor(schemaJob())).toMatchObject({ postgres: HEALTHY });
    expect(waitsFor('temporal')).toMatchObject({ [schemaJob()]: COMPLETED, postgres: HEALTHY });
    expect(waitsFor('temporal-ui')).toMatchObject({ temporal: HEALTHY });
    // The apps need the database and a Temporal frontend whose schema and namespace exist.
    for (const app of APPS) {
      expect({ app, ...waitsFor(app) }).toMatchObject({ app, postgres: HEALTHY, temporal: HEALTHY });
      const namespaceJob = Object.keys(waitsFor(app)).find((d) => d !== schemaJob() && oneShot(d));
      expect({ app, namespaceJob }).toEqual({ app, namespaceJob: expect.any(String) });
      expect((service(namespaceJob!).command ?? []).join('\n')).toContain('temporal operator namespace create');
    }
    // Only the api migrates: ingest and worker wait until it is healthy, i.e. the schema is current.
    expect(waitsFor('ingest')).toMatchObject({ api: HEALTHY });
    expect(waitsFor('worker')).toMatchObject({ api: HEALTHY });
    expect(Object.keys(waitsFor('api'))).not.toContain('ingest');
  });

  it('can satisfy every wait: healthy means a healthcheck, completed means a one-shot job, no cycles', () => {
    for (const [name, s] of Object.entries(services)) {
      expect({ name, cycle: name in waitsFor(name) }).toEqual({ name, cycle: false });
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ dep, exists: dep in services }).toEqual({ dep, exists: true });
        expect([HEALTHY, COMPLETED]).toContain(condition);
        if (condition === HEALTHY) {
          expect({ dep, healthcheck: service(dep).healthcheck?.test?.length ?? 0 }).not.toEqual({
            dep,
            healthcheck: 0,
          });
        }
      }
    }
    Object.keys(services)
      .filter(oneShot)
      .forEach((job) => expect({ job, restart: service(job).restart }).toEqual({ job, restart: undefined }));
  });

  it('gives every long-running service a healthcheck, except those with nothing to probe', () => {
    // The worker serves no HTTP (Temporal shows its pollers); nothing waits on the UI.
    const exempt = ['worker', 'temporal-ui'];
    const longRunning = Object.keys(services).filter((name) => !oneShot(name));
    expect(longRunning.filter((name) => !exempt.includes(name) && !service(name).healthcheck)).toEqual([]);
    expect(service('postgres').healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(service('temporal').healthcheck!.test.join(' ')).toContain('cluster health');
    expect(probe('api')).toEqual({ port: service('api').environment!.API_PORT, path: '/health/live' });
    // Ready = its database and Temporal answer.
    expect(probe('ingest')).toEqual({ port: service('ingest').environment!.INGEST_PORT, path: '/health/ready' });
  });

  it('publishes api 3000 and ingest 3001 to the world, Temporal and its UI on loopback only, postgres not at all', () => {
    expect(published('api')).toEqual({ [service('api').environment!.API_PORT]: '*:3000' });
    expect(published('ingest')).toEqual({ [service('ingest').environment!.INGEST_PORT]: '*:3001' });
    expect(published('temporal')).toEqual({ '7233': '127.0.0.1:7233' });
    expect(published('temporal-ui')).toEqual({ '8080': '127.0.0.1:8233' });
    expect(published('postgres')).toEqual({});
  });

  it('tells api, ingest and worker where postgres and Temporal are, with variables our config knows', () => {
    const temporalPort = '7233';
    for (const app of APPS) {
      const env = service(app).environment ?? {};
      expect({ app, unknown: Object.keys(env).filter((key) => !KNOWN.has(key)) }).toEqual({ app, unknown: [] });
      expect({ app, NODE_ENV: env.NODE_ENV }).toEqual({ app, NODE_ENV: 'production' });
      expect({ app, url: env.DATABASE_URL }).toEqual({ app, url: expect.stringMatching(/@postgres:5432\/tributary$/) });
      expect({ app, temporal: env.TEMPORAL_ADDRESS }).toEqual({ app, temporal: `temporal:${temporalPort}` });
    }
    // Listen on the container's interfaces; the api builds webhook URLs from ingest's public address.
    expect(service('api').environment).toMatchObject({ API_HOST: '0.0.0.0' });
    expect(service('ingest').environment).toMatchObject({ INGEST_HOST: '0.0.0.0' });
    for (const app of ['api', 'ingest']) {
      expect(service(app).environment!.INGEST_PUBLIC_URL).toBe('${TRIBUTARY_INGEST_PUBLIC_URL:-http://localhost:3001}');
    }
  });

  it('requires every secret from the caller (${VAR:?…}) and defaults none', () => {
    const secrets = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.environment ?? {}).flatMap(([key, value]) => (SECRET(key) ? [`${name}.${key}=${value}`] : [])),
    );
    expect(secrets.map((secret) => secret.split('=')[0])).toEqual(
      expect.arrayContaining(APPS.map((app) => `${app}.ENCRYPTION_KEYS`)),
    );
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
    expect([...stages.keys()]).toEqual(expect.arrayContaining(['deps', 'build', 'api', 'ingest', 'worker']));
    expect(text).toContain('ARG NODE_IMAGE=node:24-bookworm-slim');
    expect(lines('deps').join('\n')).toMatch(/npm ci/);
    expect(lines('build').join('\n')).toMatch(/npm run build[\s\S]*npm prune --omit=dev/);
    const ignored = read('Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.data', '.git', '**/.env']));
  });

  it.each(['api', 'ingest', 'worker'])('runs %s as a non-root user in production mode from dist only', (target) => {
    const users = lines(target).filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toMatch(/^USER (?!root\b|0\b)\S+/);
    expect(lines(target)).toContain('ENV NODE_ENV=production');
    expect(lines(target)[0]).toBe('FROM ${NODE_IMAGE}');
    expect(lines(target).filter((l) => /^COPY (\. |--from=build \/app )/.test(l))).toEqual([]);
    expect(lines(target)).toContain(`CMD ["node", "dist/apps/${target}/src/main.js"]`);
  });

  it('exposes api 3000 and ingest 3001 with healthchecks, and ships the workflow bundle in the worker', () => {
    expect(lines('api')).toContain('EXPOSE 3000');
    expect(lines('api').join('\n')).toMatch(/HEALTHCHECK[\s\S]*"node", "-e"[\s\S]*\/health\/live/);
    expect(lines('ingest')).toEqual(expect.arrayContaining(['EXPOSE 3001', 'ENV INGEST_HOST=0.0.0.0']));
    expect(lines('ingest').join('\n')).toMatch(/HEALTHCHECK[\s\S]*INGEST_PORT[\s\S]*\/health\/ready/);
    expect(lines('build').join('\n')).toContain('test -s dist/apps/ingest/src/main.js');
    expect(lines('worker')).toContain('COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js');
    expect(lines('api').join('\n')).not.toContain('workflow-bundle.js');
  });
});
