// Where the stack's HTTP processes (api, ingest) listen and are reached.
import { portAnswers } from './wait-for-http';

export interface ServiceAddress {
  host: string;
  port: number;
  /** Where we (and the user) reach it: wildcard hosts are reached through 127.0.0.1. */
  url: string;
}

export function serviceAddress(host: string, port: number): ServiceAddress {
  const reachable = ['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host;
  return { host, port, url: `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}` };
}

export interface DevService {
  /** Its name in messages ("the api"). */
  what: string;
  hostVariable: string;
  portVariable: string;
  defaultPort: number;
}

/** <X>_HOST/<X>_PORT as the app will read them; refuses a port someone else already serves. */
export async function devAddress(env: NodeJS.ProcessEnv, service: DevService): Promise<ServiceAddress> {
  const raw = env[service.portVariable];
  const port = Number(raw || service.defaultPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${service.portVariable} must be a TCP port number, not ${JSON.stringify(raw)}`);
  }
  const address = serviceAddress(env[service.hostVariable] || '127.0.0.1', port);
  if (await portAnswers(address.port, new URL(address.url).hostname)) {
    throw new Error(
      `port ${address.port} for ${service.what} is already in use (another npm run dev?): stop it or set ` +
        `${service.portVariable} to another port`,
    );
  }
  return address;
}

export const API_SERVICE: DevService = {
  what: 'the api',
  hostVariable: 'API_HOST',
  portVariable: 'API_PORT',
  defaultPort: 3000,
};

export const INGEST_SERVICE: DevService = {
  what: 'ingest',
  hostVariable: 'INGEST_HOST',
  portVariable: 'INGEST_PORT',
  defaultPort: 3001,
};

/** `npm run dev`'s demo page (analytics-next sending to ingest); its origin is the demo source's. */
export const DEMO_SERVICE: DevService = {
  what: 'the demo page',
  hostVariable: 'DEMO_HOST',
  portVariable: 'DEMO_PORT',
  defaultPort: 3002,
};
