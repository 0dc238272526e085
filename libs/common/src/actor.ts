/** What an API token may do. INTEGRATOR: read sources and sync runs, trigger and cancel syncs. */
export enum Role {
  ADMIN = 'ADMIN',
  INTEGRATOR = 'INTEGRATOR',
}

/** The authenticated caller of a request; every domain call is scoped to its workspace. */
export interface Actor {
  workspaceId: string;
  tokenId: string;
  role: Role;
}
