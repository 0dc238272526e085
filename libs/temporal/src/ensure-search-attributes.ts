import type { Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes';

export type EnsureResult = { added: string[] } | { refused: string };

/**
 * Registers our search attributes when missing (idempotent). A server that refuses (e.g. Temporal Cloud,
 * where they are created in the cloud console) is reported, not fatal: workflows still run.
 */
export async function ensureSearchAttributes(
  connection: Connection | NativeConnection,
  namespace: string,
): Promise<EnsureResult> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const custom = existing.customAttributes ?? {};
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !(k.name in custom));
  if (missing.length === 0) {
    return { added: [] };
  }
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
    return { added: missing.map((k) => k.name) };
  } catch (error) {
    return {
      refused: `${missing.map((k) => k.name).join(', ')}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
