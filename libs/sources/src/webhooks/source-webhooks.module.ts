import { Module } from '@nestjs/common';
import { keyringProvider } from '../keyring.provider';
import { WebhookSecretsStore } from './webhook-secrets.store';

/** The webhook secrets store for the worker, which registers createSourceWebhookActivities on source queues. */
@Module({ providers: [keyringProvider, WebhookSecretsStore], exports: [WebhookSecretsStore] })
export class SourceWebhooksModule {}
