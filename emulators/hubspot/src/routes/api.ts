// The HubSpot API paths the emulator serves (reads only; write-back waits for the mapping issue).
import type { FastifyInstance } from 'fastify';
import type { HubSpotState } from '../state';
import { registerAccountRoutes } from './account';
import { registerAssociationRoutes } from './associations';
import { registerObjectRoutes } from './objects';

export function registerApiRoutes(app: FastifyInstance, state: HubSpotState): void {
  registerObjectRoutes(app, state);
  registerAssociationRoutes(app, state);
  registerAccountRoutes(app, state);
}
