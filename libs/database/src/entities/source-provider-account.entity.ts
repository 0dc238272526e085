import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/** The provider account a source's credentials belong to (its request budget), looked up once per credentials. */
@Entity('source_provider_accounts')
export class SourceProviderAccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @OneToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  // SHA-256 of the sealed credentials it was looked up with: new credentials mean a new lookup.
  @Column({ type: 'char', length: 64 })
  credentialsDigest: string;

  @Column({ type: 'varchar', length: 255 })
  account: string;

  @Column({ type: 'timestamptz', precision: 3 })
  lookedUpAt: Date;
}
