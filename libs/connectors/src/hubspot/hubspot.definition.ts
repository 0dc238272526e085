import { SourceKind } from '@app/common';
import { defineConnector } from '../core/connector-definition';

/** HubSpot: sources take a private-app token today; its connector (objects, factory) comes later. */
export const hubspotDefinition = defineConnector({
  kind: SourceKind.HUBSPOT,
  key: 'hubspot',
  credentials: {
    inputName: 'HubspotCredentialsInput',
    fields: {
      accessToken: {
        description: 'Private-app access token (pat-…).',
        pattern: /^\S{8,512}$/,
        message: 'must be a private-app access token (pat-…) without spaces',
      },
    },
  },
  objects: [],
});
