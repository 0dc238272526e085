import { Catch, type ArgumentsHost, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type GqlContextType, GqlArgumentsHost } from '@nestjs/graphql';
import { toGraphqlError } from './error-mapping';

/** The one place typed domain errors become GraphQL errors; HTTP routes keep Nest's default handling. */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') {
      return super.catch(exception, host);
    }
    const req = GqlArgumentsHost.create(host).getContext<{ req?: { id?: string } }>().req;
    const { error, masked } = toGraphqlError(exception, req?.id);
    if (masked) {
      this.logger.error({ err: exception, requestId: req?.id }, 'unexpected error in a GraphQL resolver');
    }
    return error;
  }
}
