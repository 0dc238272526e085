import { Module } from '@nestjs/common';
import { SourcePurgeStore } from './source-purge.store';

/** The purge's database side, for the worker (which registers createSourcePurgeActivities with it). */
@Module({ providers: [SourcePurgeStore], exports: [SourcePurgeStore] })
export class SourcePurgeModule {}
