import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { SyncModule } from '@app/sync';
import { DatabaseModule } from '@app/database';
import { SourcesModule } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { testConfig } from './test-config';

/** Domain modules on the real test database, without HTTP (for integration tests of services). */
export async function startCoreApp(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testConfig(env)), DatabaseModule, AuthModule, SourcesModule, SyncModule],
  }).compile();
  return moduleRef.init();
}
