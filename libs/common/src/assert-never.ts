/** Exhaustiveness guard for switches over unions and enums. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
