import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/**
 * A write key: `<prefix>_<secret>`. The prefix is public and indexed; only the SHA-256 of the secret is kept.
 * At most one key per source is "current" (not revoked, no expiry); a rotated key gets an expiry instead.
 */
@Entity('source_write_keys')
@Index('uq_source_write_keys_current', ['sourceId'], {
  unique: true,
  where: '"revoked_at" IS NULL AND "expires_at" IS NULL',
})
export class SourceWriteKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Index('uq_source_write_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  @Column({ type: 'char', length: 64 })
  secretHash: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;
}
