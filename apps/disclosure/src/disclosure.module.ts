import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** The disclosure service: one folder per use case under src/, wired here. */
@Module({ controllers: [HealthController] })
export class DisclosureModule {}
