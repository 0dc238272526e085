import type { Client } from '@hubspot/api-client';
import type { RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import type { RequestBudget } from '../core/request-budget';

/** One webhook delivery's change by id, as it touches each object (HubSpot webhooks land separately). */
export function readRecordChange(
  _hubspot: Client,
  _budget: RequestBudget,
  _id: string,
  _signal?: AbortSignal,
): Promise<{ object: string; change: RecordChange }[]> {
  return Promise.reject(new ProviderError('invalid', 'HubSpot webhook changes are not wired yet', 'hubspot'));
}
