import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Our custom search attributes (Keyword, ids only: search attributes are stored unencrypted). */
export const SourceIdKey = defineSearchAttributeKey('SourceId', SearchAttributeType.KEYWORD);
export const SourceKindKey = defineSearchAttributeKey('SourceKind', SearchAttributeType.KEYWORD);
export const WorkspaceIdKey = defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD);
export const SyncObjectKey = defineSearchAttributeKey('SyncObject', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [SourceIdKey, SourceKindKey, WorkspaceIdKey, SyncObjectKey];
