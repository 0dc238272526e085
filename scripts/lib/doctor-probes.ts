// `npm run doctor`: gathers the facts doctor-checks.ts judges. Looks only: never builds, installs or starts.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { findChromium } from './chromium';
import { DEFAULT_PORTS, type DoctorFacts, type PortFacts } from './doctor-checks';
import { findTemporal, goToolchain, MIN_GO, temporalCacheDir } from './ensure-temporal';

export async function gatherFacts(env: NodeJS.ProcessEnv): Promise<DoctorFacts> {
  const chromium = findChromium(env);
  const [go, temporal, chromiumVersion, ports] = await Promise.all([
    goToolchain(),
    findTemporal(env),
    chromium.found ? output(chromium.path, ['--version']) : Promise.resolve(undefined),
    Promise.all(DEFAULT_PORTS.map(({ port, service }) => probePort(port, service))),
  ]);
  return {
    nodeVersion: process.version,
    go,
    temporal,
    temporalCacheDir: temporalCacheDir(env),
    minGo: MIN_GO.join('.'),
    chromium: { ...chromium, version: chromiumVersion },
    ports,
  };
}

async function probePort(port: number, service: string): Promise<PortFacts> {
  const inUse = !(await canListen(port));
  return { port, service, inUse, owner: inUse ? await portOwner(port) : undefined };
}

/** Listening on 127.0.0.1 fails when anything holds the port there or on every address. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** "pid 812: node …" from lsof (Linux, macOS) or ss (Linux); undefined when neither can tell. */
async function portOwner(port: number): Promise<string | undefined> {
  const fromLsof = await output('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t']);
  const pid = fromLsof ?? /pid=(\d+)/.exec((await output('ss', ['-Hltnp', `sport = :${port}`])) ?? '')?.[1];
  if (!pid) {
    return undefined;
  }
  const command = await output('ps', ['-o', 'args=', '-p', pid]);
  return `pid ${pid}${command ? ` (${command.length > 90 ? `${command.slice(0, 89)}…` : command})` : ''}`;
}

/** The first line a command prints on stdout, or undefined when it fails or prints nothing. */
function output(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 10_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim().split('\n')[0] || undefined),
    ),
  );
}
