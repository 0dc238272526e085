import { WorkspacesService } from '@app/auth';
import { ConfigError, loadConfigFromEnv } from '@app/config';
import { runMigrationsWithLock } from '@app/database';
import { SourceCredentialsService } from '@app/sources';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CliModule } from './cli.module';
import { devKeyringFallback, MISSING_KEYRING_HINT } from './dev-keyring';

const USAGE = `Usage: npm run cli -- <command>
  create-workspace <name> [--json]   create a workspace and print its first ADMIN token (shown once)
  reencrypt-credentials              re-seal all source credentials under ENCRYPTION_ACTIVE_KEY
  migrate                            apply pending migrations (the api also does this at boot)`;

type Command = (app: INestApplicationContext, args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'create-workspace': async (app, args) => {
    const name = args.filter((a) => !a.startsWith('--')).join(' ');
    if (!name) {
      throw new UsageError('create-workspace needs a name, e.g. npm run cli -- create-workspace "Acme"');
    }
    const created = await app.get(WorkspacesService).create(name);
    process.stdout.write(
      args.includes('--json')
        ? `${JSON.stringify(created)}\n`
        : `workspace ${created.workspace.id} (${created.workspace.name})\nadmin token (shown once): ${created.adminToken}\n`,
    );
  },
  'reencrypt-credentials': async (app) => {
    const count = await app.get(SourceCredentialsService).reencryptAll();
    process.stdout.write(`re-encrypted ${count} credential row(s) under the active key\n`);
  },
  migrate: async (app) => {
    const applied = await runMigrationsWithLock(app.get(DataSource));
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
  },
};

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `Unknown command "${name}"\n` : ''}${USAGE}\n`);
    return 2;
  }
  // npm runs scripts at the repository root, where `npm run dev` keeps its keyring.
  const config = loadConfigFromEnv(devKeyringFallback(process.cwd(), (line) => process.stderr.write(`${line}\n`)));
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  try {
    await command(app, args);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof UsageError || error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (error instanceof ConfigError && error.problems.some((p) => p.startsWith('ENCRYPTION_KEYS (unset)'))) {
      process.stderr.write(`${MISSING_KEYRING_HINT}\n`);
    }
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
