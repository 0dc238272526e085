/**
 * Codes every domain error maps to; the api turns them into GraphQL `extensions.code` once, at the edge.
 * Messages are written for the person who must fix the problem.
 */
export enum DomainErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
}

export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static invalid(message: string, details?: Record<string, unknown>): DomainException {
    return new DomainException(DomainErrorCode.INVALID_INPUT, message, details);
  }

  static notFound(what: string, id: string): DomainException {
    return new DomainException(DomainErrorCode.NOT_FOUND, `${what} "${id}" was not found in this workspace`);
  }

  static conflict(message: string): DomainException {
    return new DomainException(DomainErrorCode.CONFLICT, message);
  }

  static forbidden(message: string): DomainException {
    return new DomainException(DomainErrorCode.FORBIDDEN, message);
  }

  static unauthenticated(message: string): DomainException {
    return new DomainException(DomainErrorCode.UNAUTHENTICATED, message);
  }
}
