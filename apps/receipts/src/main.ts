import 'reflect-metadata';
import { bootstrapService } from '@silta/platform';
import { ReceiptsModule } from './receipts.module';

void bootstrapService('receipts', ReceiptsModule);
