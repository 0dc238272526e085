import { WorkspacesService } from '@app/auth';
import type { AppConfig } from '@app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { testConfig } from './test-config';

export interface TestApi {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  /** Every JSON log line the api wrote. */
  logs: string[];
  createWorkspace(name?: string): Promise<{ workspaceId: string; adminToken: string }>;
  close(): Promise<void>;
}

/** Boots the real api in-process on a free port (migrations included), capturing its log lines. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const config = testConfig(env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const app = await createApiApp({ config, logDestination: sink });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    logs,
    createWorkspace: async (name = 'Test workspace') => {
      const created = await app.get(WorkspacesService).create(name);
      return { workspaceId: created.workspace.id, adminToken: created.adminToken };
    },
    close: () => app.close(),
  };
}
