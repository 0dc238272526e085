import { IdentifierType, SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { registerEnumType } from '@nestjs/graphql';
import { WriteKeyStatus } from '../source.views';

registerEnumType(SourceKind, { name: 'SourceKind', description: 'What the source is; fixed after creation.' });
registerEnumType(SourceEnvironment, { name: 'SourceEnvironment' });
registerEnumType(SourceStatus, {
  name: 'SourceStatus',
  description: 'ACTIVE and PAUSED are set by admins; DISABLED is reserved for the system.',
});
registerEnumType(IdentifierType, { name: 'IdentifierType' });
registerEnumType(WriteKeyStatus, {
  name: 'WriteKeyStatus',
  description: 'ACTIVE: current key. EXPIRING: rotated, still valid until expiresAt. EXPIRED/REVOKED: refused.',
});

/** GraphQL's view of TrackingPlanMode (a string union in the domain). */
export const TrackingPlanModeEnum = { ALLOW: 'ALLOW', FLAG: 'FLAG', BLOCK: 'BLOCK' } as const;
registerEnumType(TrackingPlanModeEnum, {
  name: 'TrackingPlanMode',
  description:
    'ALLOW: no checks (default). FLAG: store violating events marked with their violations. BLOCK: quarantine them.',
});
