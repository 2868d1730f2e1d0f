import 'reflect-metadata';
import { bootstrapService } from '@silta/platform';
import { DisclosureModule } from './disclosure.module';

void bootstrapService('disclosure', DisclosureModule);
