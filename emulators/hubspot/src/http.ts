// Response helpers, and which scopes a request path needs.
import type { FastifyReply } from 'fastify';
import { validationError } from './errors';
import { isObjectType, type ObjectType, readScope, schemaScope } from './object-types';

export const CONTROL_PREFIX = '/_emulator';

export function isControlUrl(url: string): boolean {
  return url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`) || url.startsWith(`${CONTROL_PREFIX}?`);
}

export function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}

/** HubSpot answers compact JSON with a charset. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json;charset=utf-8').send(JSON.stringify(body));
}

/** The scopes a call to `path` needs: object reads need the type's read scope, properties its schema scope. */
export function scopesFor(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const types = (names: (string | undefined)[]): ObjectType[] =>
    names.filter((name): name is ObjectType => name !== undefined && isObjectType(name));
  if (parts[0] !== 'crm') {
    return [];
  }
  if (parts[1] === 'v3' && parts[2] === 'properties') {
    return types([parts[3]]).map(schemaScope);
  }
  if (parts[1] === 'v3' && parts[2] === 'objects') {
    return types([parts[3]]).map(readScope);
  }
  if (parts[1] === 'v4' && parts[2] === 'associations') {
    return types([parts[3], parts[4]]).map(readScope);
  }
  if (parts[1] === 'v4' && parts[2] === 'objects') {
    return types([parts[3], parts[6]]).map(readScope);
  }
  return [];
}

export function isSearch(path: string): boolean {
  return /^\/crm\/v3\/objects\/[^/]+\/search$/.test(path);
}

/** `properties=a&properties=b` (the client) or `properties=a,b` (Airbyte): both accepted. */
export function listParam(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A route's object type, or HubSpot's 400 naming the types it knows. */
export function objectType(name: string): ObjectType {
  if (!isObjectType(name)) {
    throw validationError(`Unable to infer object type from: ${name}`);
  }
  return name;
}

export function booleanParam(value: string | undefined): boolean {
  return value === 'true';
}
