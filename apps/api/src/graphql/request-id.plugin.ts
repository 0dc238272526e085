import type { ApolloDriverConfig } from '@nestjs/apollo';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** Adds the request id to every error in a response, so a user's report leads straight to the log lines. */
export const requestIdPlugin: Plugin = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ response, contextValue }) {
        const requestId = (contextValue as { req?: { id?: string } }).req?.id;
        if (requestId && response.body.kind === 'single' && response.body.singleResult.errors) {
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            extensions: { ...e.extensions, requestId },
          }));
        }
        return Promise.resolve();
      },
    });
  },
};
