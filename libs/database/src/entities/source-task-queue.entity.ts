import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/** Which worker process serves a source's activity task queue, and since when (shown on the source). */
@Entity('source_task_queues')
export class SourceTaskQueueEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'varchar', length: 100 })
  taskQueue: string;

  // host:pid of the worker process; several replicas may serve the same queue.
  @PrimaryColumn({ type: 'varchar', length: 255 })
  workerId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  servingSince: Date;

  // Refreshed on every reconcile; a stale row means the worker died without cleaning up.
  @Column({ type: 'timestamptz', precision: 3 })
  heartbeatAt: Date;
}
