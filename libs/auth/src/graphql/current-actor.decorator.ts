import type { Actor } from '@app/common';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

export interface RequestWithActor {
  actor?: Actor;
  headers: Record<string, string | string[] | undefined>;
}

/** Reads the context's request, whatever the adapter puts it under. */
export function requestOf(context: ExecutionContext): RequestWithActor {
  return GqlExecutionContext.create(context).getContext<{ req: RequestWithActor }>().req;
}

/** The authenticated caller, set by GqlAuthGuard. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) {
    throw new Error('CurrentActor used on a resolver that GqlAuthGuard did not run for');
  }
  return actor;
});
