// Stripe's error responses: `{ error: { code?, doc_url?, message, param?, request_log_url?, type } }`, keys in
// the alphabetical order Stripe prints them. stripe-node picks its error class from the HTTP status alone
// (429 → RateLimit, 400/404 → InvalidRequest, 401 → Authentication, 403 → Permission, else → API).

export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'card_error';

export interface StripeErrorBody {
  code?: string;
  doc_url?: string;
  message: string;
  param?: string;
  request_log_url?: string;
  type: StripeErrorType;
  /** A card error's `charge` and `decline_code`. */
  [field: string]: string | undefined;
}

interface ErrorDetails {
  code?: string;
  param?: string;
  type?: StripeErrorType;
  headers?: Record<string, string>;
  /** More fields of the body, e.g. a card error's `charge` and `decline_code`. */
  extra?: Record<string, string>;
}

/** Thrown anywhere while serving `/v1`; the error handler turns it into Stripe's status, headers and body. */
export class StripeApiError extends Error {
  readonly type: StripeErrorType;
  readonly code?: string;
  readonly param?: string;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, string>;

  constructor(
    readonly status: number,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message);
    this.type = details.type ?? 'invalid_request_error';
    this.code = details.code;
    this.param = details.param;
    this.headers = details.headers ?? {};
    this.extra = details.extra ?? {};
  }

  /** The JSON body; `requestLogUrl` is only given for 400/404, where Stripe links the dashboard log. */
  body(requestLogUrl?: string): { error: StripeErrorBody } {
    const error: StripeErrorBody = {
      ...this.extra,
      ...(this.code === undefined ? {} : { code: this.code, doc_url: docUrl(this.code) }),
      message: this.message,
      ...(this.param === undefined ? {} : { param: this.param }),
      ...(requestLogUrl === undefined ? {} : { request_log_url: requestLogUrl }),
      type: this.type,
    };
    // Stripe prints the fields in alphabetical order.
    return { error: Object.fromEntries(Object.entries(error).sort(([a], [b]) => (a < b ? -1 : 1))) as StripeErrorBody };
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

/** A 400 `invalid_request_error` (404 for a missing resource addressed by URL). */
export function invalidRequest(message: string, details: ErrorDetails & { status?: number } = {}): StripeApiError {
  return new StripeApiError(details.status ?? 400, message, details);
}

export function unknownParameter(name: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${name}`, { code: 'parameter_unknown', param: name });
}

export function missingParameter(name: string): StripeApiError {
  return invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
}

export function invalidInteger(name: string, value: string): StripeApiError {
  return invalidRequest(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param: name });
}

/** Stripe refuses empty strings for parameters that cannot be unset, with this explanation. */
export function emptyParameter(name: string): StripeApiError {
  return invalidRequest(
    `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
    { code: 'parameter_invalid_empty', param: name },
  );
}

/** `No such customer: 'cus_…'`: an unknown (or deleted) id, in a URL (404) or as a list cursor (400). */
export function noSuchObject(noun: string, id: string, param: string, status: 400 | 404): StripeApiError {
  return invalidRequest(`No such ${noun}: '${id}'`, { code: 'resource_missing', param, status });
}

/** A value outside an enum, e.g. `status=bogus` (the wording is a guess, see the README). */
export function invalidEnum(name: string, allowed: readonly string[]): StripeApiError {
  const choices = `${allowed.slice(0, -1).join(', ')}, or ${allowed[allowed.length - 1]}`;
  return invalidRequest(`Invalid ${name}: must be one of ${choices}`, {
    code: 'parameter_invalid_string',
    param: name,
  });
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { status: 404 },
  );
}
