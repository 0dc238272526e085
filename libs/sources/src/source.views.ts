import type { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import type { SourceSettings } from './source-settings';

export enum WriteKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRING = 'EXPIRING',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

export interface WriteKeyView {
  id: string;
  sourceId: string;
  prefix: string;
  status: WriteKeyStatus;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface IssuedWriteKey {
  writeKey: WriteKeyView;
  /** The full key; shown once. */
  secret: string;
}

export interface CredentialsStatus {
  isSet: boolean;
  updatedAt: Date | null;
  keyId: string | null;
}

export interface SourceView {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  kind: SourceKind;
  environment: SourceEnvironment;
  status: SourceStatus;
  settings: SourceSettings;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface SourcePage {
  items: SourceView[];
  totalCount: number;
  hasNextPage: boolean;
}
