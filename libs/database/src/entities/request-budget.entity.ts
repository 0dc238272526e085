import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One provider account's request budget (a token bucket kept as one timestamp, see libs/sync budget/),
 * shared by every worker process and every source on the account. Not per source: a purge keeps it.
 */
@Entity('request_budgets')
export class RequestBudgetEntity {
  // e.g. stripe:acct_1Nv0FGQ9RKHgCVdK:test (the definition's account key).
  @PrimaryColumn({ type: 'varchar', length: 255 })
  account: string;

  // When the bucket would be full again; null or past = full. Microseconds: requests are milliseconds apart.
  @Column({ type: 'timestamptz', precision: 6, nullable: true })
  fullAt: Date | null;
}
