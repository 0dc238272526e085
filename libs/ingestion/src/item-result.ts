/** Why an item was refused; `field` names the offending field ('' for the item as a whole). */
export type RejectionCode =
  | 'invalid_message'
  | 'invalid_type'
  | 'missing_identity'
  | 'missing_field'
  | 'invalid_field'
  | 'invalid_timestamp'
  | 'invalid_text'
  | 'too_large'
  | 'too_deep';

export interface ItemRejection {
  code: RejectionCode;
  field: string;
  reason: string;
}

/**
 * The outcome of one item of a request, in request order. `quarantined` is reserved for tracking plans
 * (issue 10 part 2): clients must treat it as stored.
 */
export type ItemResult =
  | { status: 'accepted'; messageId: string }
  | { status: 'duplicate'; messageId: string }
  | { status: 'quarantined'; messageId: string; code: string; field: string; reason: string }
  | ({ status: 'rejected'; messageId: string | null } & ItemRejection);

export function reject(code: RejectionCode, field: string, reason: string): { ok: false } & ItemRejection {
  return { ok: false, code, field, reason };
}
