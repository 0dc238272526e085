import { AuthMessages, unauthenticated } from './auth.exception';

/** True when the caller presented a credential at all ("Bearer " with nothing after it counts as none). */
export function presentsCredential(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && !/^\s*(Bearer\s*)?$/i.test(value);
}

/** The token of an `Authorization: Bearer <token>` header, or UNAUTHENTICATED saying what to send. */
export function bearerToken(header: string | string[] | undefined): string {
  if (!presentsCredential(header)) {
    throw unauthenticated(AuthMessages.missing);
  }
  const value = Array.isArray(header) ? header[0] : (header as string);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) {
    throw unauthenticated(AuthMessages.malformed);
  }
  return match[1];
}
