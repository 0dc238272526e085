import { DomainException } from '@app/common';

/** Messages for callers who could not be authenticated; they say what to send instead. */
export const AuthMessages = {
  missing:
    'Send an API token as "Authorization: Bearer trb_…"; create one with createApiToken or `npm run cli -- create-workspace`',
  malformed: 'The Authorization header must be "Bearer trb_<id>_<secret>" as shown when the token was created',
  invalid: 'This API token is unknown or revoked; ask a workspace admin for a new one',
} as const;

export const unauthenticated = (message: string): DomainException => DomainException.unauthenticated(message);
