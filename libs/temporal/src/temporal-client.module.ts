import { Module } from '@nestjs/common';
import { TemporalClientService } from './temporal-client.service';

/** Temporal client for processes that start, cancel or inspect workflows (the api). */
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalClientModule {}
