import { CLOUD_APP_KINDS } from '@app/connectors';
import { SourceEntity } from '@app/database';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { SourceSchedulesService } from './source-schedules.service';

/**
 * At api boot, creates the schedules Temporal does not have (sources from before schedules existed, or a
 * Temporal server that lost its data) from what the database stores. In the background: the api answers
 * meanwhile, and a Temporal that is down only delays it to the next boot or schedule change.
 */
@Injectable()
export class SourceSchedulesReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger('SourceSchedules');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly schedules: SourceSchedulesService,
  ) {}

  onApplicationBootstrap(): void {
    this.ensureAll().catch((error: unknown) =>
      this.logger.warn(
        { err: error },
        'could not check the sources’ schedules; they are re-created on their next change',
      ),
    );
  }

  /** Returns how many schedules it created. */
  async ensureAll(): Promise<number> {
    const ids = await this.db.getRepository(SourceEntity).find({
      select: { id: true },
      where: { kind: In([...CLOUD_APP_KINDS]), deletedAt: IsNull() },
    });
    let created = 0;
    for (const { id } of ids) {
      created += (await this.ensureOne(id)) ? 1 : 0;
    }
    if (created > 0) {
      this.logger.log(`created ${created} missing source schedules`);
    }
    return created;
  }

  // Under the row lock deletes take: a source deleted meanwhile gets no schedule.
  private async ensureOne(id: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const row = await em
        .getRepository(SourceEntity)
        .findOne({ where: { id, deletedAt: IsNull() }, lock: { mode: 'for_no_key_update' } });
      return row ? this.schedules.ensure(row) : false;
    });
  }
}
