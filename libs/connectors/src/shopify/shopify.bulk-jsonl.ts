// A bulk job's JSONL result turned into records (cloud-apis.md §3.4): one object per line, and each node of a
// nested connection on its own line carrying `__parentId`. Shopify only promises a child comes after its parent,
// not right after it, so every line is read before children are attached.
import type { MappedRecord } from '../core/connector';

type Json = Record<string, unknown>;

/** Why a downloaded file cannot be trusted as a whole result: the caller decides whether to re-download. */
export class BulkFileError extends Error {}

/** `gid://shopify/LineItem/123` → `LineItem`. */
function gidType(id: unknown): string | undefined {
  return typeof id === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] : undefined;
}

function parseLine(line: string, index: number): Json {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BulkFileError(`line ${index + 1} of the bulk result is not JSON (a truncated download?)`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BulkFileError(`line ${index + 1} of the bulk result is not an object`);
  }
  return value as Json;
}

/**
 * The root objects of `jsonl` in file order, each with its children as a plain list `{ <field>: [...] }` (the
 * record shape every Shopify read stores, toRecord in shopify.objects.ts), `field` chosen by the child's GID type
 * through `childFields` (our queries nest one level, so every root gets every field). `expectedLines` is the
 * job's objectCount: a file with another number of lines is not the job's whole result.
 */
export function parseBulkJsonl(
  jsonl: string,
  childFields: Record<string, string>,
  expectedLines?: number,
): MappedRecord[] {
  const lines = jsonl.split('\n').filter((line) => line.trim() !== '');
  if (expectedLines !== undefined && lines.length !== expectedLines) {
    throw new BulkFileError(`the bulk result has ${lines.length} lines where the job reported ${expectedLines}`);
  }
  const byId = new Map<string, Json>();
  const roots: Json[] = [];
  const children: { parentId: string; node: Json }[] = [];
  lines.forEach((line, index) => {
    const { __parentId: parentId, ...node } = parseLine(line, index);
    if (typeof node.id === 'string') {
      byId.set(node.id, node);
    }
    if (parentId === undefined) {
      // Every parent gets its connections, empty when it has no children (an order without line items).
      for (const field of Object.values(childFields)) {
        node[field] = [];
      }
      roots.push(node);
    } else {
      children.push({ parentId: typeof parentId === 'string' ? parentId : JSON.stringify(parentId), node });
    }
  });
  for (const { parentId, node } of children) {
    attach(byId.get(parentId), node, parentId, childFields);
  }
  return roots.map((payload) => ({ externalId: String(payload.id), payload }));
}

function attach(parent: Json | undefined, node: Json, parentId: string, childFields: Record<string, string>): void {
  if (!parent) {
    throw new BulkFileError(`a bulk result line names the parent ${parentId}, which the file does not hold`);
  }
  const type = gidType(node.id);
  const field = type ? childFields[type] : undefined;
  if (!field) {
    throw new BulkFileError(
      `a bulk result line holds a ${type ?? 'node without an id'}, which this query never asks for`,
    );
  }
  ((parent[field] ??= []) as Json[]).push(node);
}
