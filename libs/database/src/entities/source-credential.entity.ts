import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

/** A cloud-app source's credentials, sealed with AES-256-GCM (see Keyring); never returned by the API. */
@Entity('source_credentials')
export class SourceCredentialEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @OneToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'text' })
  sealed: string;

  // Key id the value is sealed with; lets reencrypt-credentials find rows under retired keys.
  @Column({ type: 'varchar', length: 16 })
  keyId: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
