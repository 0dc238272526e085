import {
  type Check,
  checkChromium,
  checkGo,
  checkNode,
  checkPort,
  checkTemporal,
  DEFAULT_PORTS,
  type DoctorFacts,
  exitCode,
  formatReport,
  runChecks,
} from './doctor-checks';
import type { GoToolchain, TemporalLookup } from './ensure-temporal';

const GO_OK: GoToolchain = { installed: true, version: 'go1.26.8', recent: true };
const GO_OLD: GoToolchain = { installed: true, version: 'go1.22.4', recent: false };
const NO_GO: GoToolchain = { installed: false, problem: 'go: not found' };
const CACHED: TemporalLookup = { found: true, path: '/c/temporal', source: 'cache', version: 'temporal version 1.5.1' };
const NO_TEMPORAL: TemporalLookup = { found: false, fromEnv: false, problem: 'not on PATH, not cached in /c' };

describe('doctor checks', () => {
  it('Node: OK on 24, MISSING with the npm fix otherwise', () => {
    expect(checkNode('v24.21.0')).toMatchObject({ status: 'OK' });
    expect(checkNode('v20.20.2')).toMatchObject({
      status: 'MISSING',
      detail: 'v20.20.2 runs this; the project needs Node 24',
      fix: expect.stringContaining('npm run doctor') as string,
    });
  });

  it('Go: not needed once Temporal is there, required (≥ 1.25) only to build it', () => {
    expect(checkGo(NO_GO, CACHED, '1.25')).toMatchObject({
      status: 'OK',
      detail: expect.stringContaining('not needed'),
    });
    expect(checkGo(GO_OK, NO_TEMPORAL, '1.25')).toMatchObject({
      status: 'OK',
      detail: expect.stringContaining('go1.26.8'),
    });
    expect(checkGo(GO_OLD, NO_TEMPORAL, '1.25')).toMatchObject({
      status: 'MISSING',
      detail: 'go1.22.4 is older than 1.25; needed once to build Temporal',
      fix: expect.stringContaining('install Go ≥ 1.25') as string,
    });
    expect(checkGo(NO_GO, NO_TEMPORAL, '1.25')).toMatchObject({
      status: 'MISSING',
      detail: expect.stringMatching(/^not installed/),
    });
  });

  it('Temporal: where it was found; a warning when Go will build it; missing when nothing can', () => {
    expect(checkTemporal(CACHED, NO_GO, '/c')).toEqual({
      name: 'Temporal CLI',
      status: 'OK',
      detail: '/c/temporal (cached): temporal version 1.5.1',
    });
    expect(checkTemporal({ ...CACHED, path: 'temporal', source: 'PATH' }, NO_GO, '/c').detail).toContain('(on PATH)');
    expect(checkTemporal(NO_TEMPORAL, GO_OK, '/c')).toMatchObject({
      status: 'WARN',
      fix: 'npm run temporal:ensure (builds it into /c now)',
    });
    expect(checkTemporal(NO_TEMPORAL, NO_GO, '/c')).toMatchObject({ status: 'MISSING', detail: NO_TEMPORAL.problem });
    const broken: TemporalLookup = {
      found: false,
      fromEnv: true,
      problem: 'TEMPORAL_CLI_PATH=/x does not run: ENOENT',
    };
    expect(checkTemporal(broken, GO_OK, '/c')).toMatchObject({
      status: 'MISSING',
      fix: expect.stringContaining('TEMPORAL_CLI_PATH'),
    });
  });

  it('Chromium: found, or missing with the apt-get command or the CHROMIUM_PATH fix', () => {
    expect(
      checkChromium({ found: true, path: '/usr/bin/chromium', source: 'PATH', version: 'Chromium 156' }),
    ).toMatchObject({
      status: 'OK',
      detail: '/usr/bin/chromium (from PATH): Chromium 156',
    });
    expect(checkChromium({ found: false, fromEnv: false, problem: 'no chromium' })).toMatchObject({
      status: 'MISSING',
      fix: 'sudo apt-get update && sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary',
    });
    expect(
      checkChromium({ found: false, fromEnv: true, problem: 'CHROMIUM_PATH=/x is not an executable file' }).fix,
    ).toBe('point CHROMIUM_PATH at a Chromium binary, or unset it');
  });

  it('ports: free is OK; in use is a warning naming the holder, fine when it is our own npm run dev', () => {
    expect(checkPort({ port: 3000, service: 'api', inUse: false })).toEqual({
      name: 'port 3000',
      status: 'OK',
      detail: 'free (api)',
    });
    expect(
      checkPort({ port: 7233, service: 'Temporal', inUse: true, owner: 'pid 9 (temporal server start-dev)' }),
    ).toMatchObject({
      status: 'WARN',
      detail: 'in use by pid 9 (temporal server start-dev); npm run dev puts the Temporal there',
      fix: expect.stringContaining('fine if that is your own npm run dev') as string,
    });
  });

  it('reports a line per prerequisite and fails only when something required is missing', () => {
    const facts: DoctorFacts = {
      nodeVersion: 'v24.21.0',
      go: NO_GO,
      temporal: NO_TEMPORAL,
      temporalCacheDir: '/c',
      minGo: '1.25',
      chromium: { found: true, path: '/usr/bin/chromium', source: 'PATH' },
      ports: DEFAULT_PORTS.map(({ port, service }) => ({ port, service, inUse: port === 3000 })),
    };
    const checks = runChecks(facts);
    expect(checks.map((c) => c.name)).toEqual([
      'Node.js',
      'Go',
      'Temporal CLI',
      'Chromium',
      'port 3000',
      'port 3001',
      'port 54329',
      'port 7233',
      'port 8233',
      'port 4242',
    ]);
    expect(exitCode(checks)).toBe(1);
    const report = formatReport(checks);
    expect(report).toMatch(/^MISSING Go {12}not installed; needed once to build Temporal\n {9}fix: install Go/m);
    const warningsOnly: Check[] = checks.map((c) => (c.status === 'MISSING' ? { ...c, status: 'WARN' } : c));
    expect(exitCode(warningsOnly)).toBe(0);
  });
});
