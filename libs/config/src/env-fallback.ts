/**
 * Values for a group of variables that the environment may leave unset, e.g. the CLI's local dev keyring.
 * They are used only when the environment sets none of `names`; `read` runs only then and returns
 * undefined when it has nothing to offer (the variables then stay unset and validation names them).
 */
export interface EnvFallback {
  names: readonly string[];
  read: () => Record<string, string> | undefined;
}

/** The environment with the fallback's values filled in, when every one of its variables is unset. */
export function applyEnvFallback(
  env: Record<string, string | undefined>,
  fallback: EnvFallback | undefined,
): Record<string, string | undefined> {
  // A partly set group is the user's choice: completing it from elsewhere would mix two keyrings.
  if (!fallback || fallback.names.some((name) => env[name] !== undefined && env[name] !== '')) {
    return env;
  }
  const values = fallback.read();
  return values ? { ...env, ...values } : env;
}
