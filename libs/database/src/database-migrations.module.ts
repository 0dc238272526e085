import { Module } from '@nestjs/common';
import { MigrationsRunnerService } from './migrations-runner.service';

/** Import in the api only: migrates at boot under an advisory lock. */
@Module({ providers: [MigrationsRunnerService] })
export class DatabaseMigrationsModule {}
