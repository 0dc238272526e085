// `npm run doctor`: what each fact about this machine means for `npm run dev` and `npm test`. Pure
// functions of the facts (gathered by doctor-probes.ts), so every verdict is unit-tested.
import { CHROMIUM_INSTALL_COMMAND, type ChromiumLookup } from './chromium';
import type { GoToolchain, TemporalLookup } from './ensure-temporal';

/** MISSING: a command will fail until it is fixed. WARN: worth knowing, nothing fails because of it. */
export type Status = 'OK' | 'WARN' | 'MISSING';

export interface Check {
  name: string;
  status: Status;
  detail: string;
  /** One line that fixes it, for anything not OK. */
  fix?: string;
}

export interface PortFacts {
  port: number;
  service: string;
  inUse: boolean;
  /** Who holds it, e.g. "pid 812: node …/nest start api --watch", when that can be found out. */
  owner?: string;
}

export interface DoctorFacts {
  nodeVersion: string;
  go: GoToolchain;
  temporal: TemporalLookup;
  temporalCacheDir: string;
  minGo: string;
  chromium: ChromiumLookup & { version?: string };
  ports: PortFacts[];
}

/** The ports `npm run dev` uses as they are by default (npm test picks free ones). */
export const DEFAULT_PORTS: ReadonlyArray<{ port: number; service: string }> = [
  { port: 3000, service: 'api' },
  { port: 3001, service: 'ingest' },
  { port: 54329, service: 'PostgreSQL' },
  { port: 7233, service: 'Temporal' },
  { port: 8233, service: 'Temporal UI' },
  { port: 4242, service: 'Stripe emulator' },
];

export function checkNode(version: string): Check {
  const name = 'Node.js';
  if (/^v24\./.test(version)) {
    return { name, status: 'OK', detail: `${version} (the project's pinned node package, run through npm)` };
  }
  return {
    name,
    status: 'MISSING',
    detail: `${version} runs this; the project needs Node 24`,
    fix: 'run it through npm after npm ci (npm run doctor): the pinned node devDependency brings Node 24',
  };
}

export function checkGo(go: GoToolchain, temporal: TemporalLookup, minGo: string): Check {
  const name = 'Go';
  if (temporal.found) {
    const what = go.installed ? go.version : 'not installed';
    return { name, status: 'OK', detail: `${what}; not needed: the Temporal binary is there (Go only builds it once)` };
  }
  if (go.installed && go.recent) {
    return { name, status: 'OK', detail: `${go.version} (builds the Temporal CLI the first time; not needed after)` };
  }
  return {
    name,
    status: 'MISSING',
    detail: `${go.installed ? `${go.version} is older than ${minGo}` : 'not installed'}; needed once to build Temporal`,
    fix: `install Go ≥ ${minGo} (https://go.dev/dl/), or provide a temporal binary (see the Temporal line)`,
  };
}

export function checkTemporal(temporal: TemporalLookup, go: GoToolchain, cacheDir: string): Check {
  const name = 'Temporal CLI';
  if (temporal.found) {
    const where = { TEMPORAL_CLI_PATH: 'from TEMPORAL_CLI_PATH', PATH: 'on PATH', cache: 'cached' }[temporal.source];
    return { name, status: 'OK', detail: `${temporal.path} (${where}): ${temporal.version}` };
  }
  if (temporal.fromEnv) {
    return {
      name,
      status: 'MISSING',
      detail: temporal.problem,
      fix: 'point TEMPORAL_CLI_PATH at a temporal CLI, or unset it',
    };
  }
  if (go.installed && go.recent) {
    return {
      name,
      status: 'WARN',
      detail: `${temporal.problem}; the first npm run dev or npm test builds it with Go (2–14 min, once)`,
      fix: `npm run temporal:ensure (builds it into ${cacheDir} now)`,
    };
  }
  return {
    name,
    status: 'MISSING',
    detail: temporal.problem,
    fix: 'install Go (see the Go line), then npm run temporal:ensure; or put temporal on PATH or set TEMPORAL_CLI_PATH',
  };
}

export function checkChromium(chromium: DoctorFacts['chromium']): Check {
  const name = 'Chromium';
  if (chromium.found) {
    const version = chromium.version ? `: ${chromium.version}` : '';
    return { name, status: 'OK', detail: `${chromium.path} (from ${chromium.source})${version}` };
  }
  return {
    name,
    status: 'MISSING',
    detail: `${chromium.problem}; npm test's browser tier needs it`,
    fix: chromium.fromEnv
      ? 'point CHROMIUM_PATH at a Chromium binary, or unset it'
      : `${CHROMIUM_INSTALL_COMMAND} (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary`,
  };
}

/** A busy default port only matters to `npm run dev`, which then says so itself: a warning. */
export function checkPort(facts: PortFacts): Check {
  const name = `port ${facts.port}`;
  if (!facts.inUse) {
    return { name, status: 'OK', detail: `free (${facts.service})` };
  }
  return {
    name,
    status: 'WARN',
    detail: `in use${facts.owner ? ` by ${facts.owner}` : ''}; npm run dev puts the ${facts.service} there`,
    fix: 'fine if that is your own npm run dev; otherwise stop it before npm run dev (npm test uses free ports)',
  };
}

export function runChecks(facts: DoctorFacts): Check[] {
  return [
    checkNode(facts.nodeVersion),
    checkGo(facts.go, facts.temporal, facts.minGo),
    checkTemporal(facts.temporal, facts.go, facts.temporalCacheDir),
    checkChromium(facts.chromium),
    ...facts.ports.map(checkPort),
  ];
}

/** One line per check, the fix indented below it. */
export function formatReport(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map(
      (c) =>
        `${c.status.padEnd(7)} ${c.name.padEnd(width)}  ${c.detail}${c.fix ? `\n${' '.repeat(9)}fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}

/** Non-zero only when something required is missing. */
export function exitCode(checks: Check[]): number {
  return checks.some((c) => c.status === 'MISSING') ? 1 : 0;
}
