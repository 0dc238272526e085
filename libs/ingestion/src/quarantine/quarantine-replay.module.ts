import { Module } from '@nestjs/common';
import { EventStore } from '../event-store';
import { QuarantineReplays } from './quarantine-replays';

/** The replay's database side: for the worker (its activities) and the api (starting and reading replays). */
@Module({ providers: [EventStore, QuarantineReplays], exports: [QuarantineReplays] })
export class QuarantineReplayModule {}
