// GET /account-info/v3/details: the portal a token belongs to (any valid token, no scope), as HubSpot answers it.
// Our connector keys the per-portal request budget by its portalId.
import type { FastifyInstance } from 'fastify';
import { sendJson } from '../http';
import type { HubSpotState } from '../state';

export function registerAccountRoutes(app: FastifyInstance, state: HubSpotState): void {
  app.get('/account-info/v3/details', (_request, reply) =>
    sendJson(reply, 200, {
      portalId: state.portalId,
      accountType: 'STANDARD',
      timeZone: 'US/Eastern',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '-05:00',
      utcOffsetMilliseconds: -18_000_000,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    }),
  );
}
