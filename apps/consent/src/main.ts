import { bootstrapService } from '@silta/platform';
import { ConsentModule } from './consent.module';

void bootstrapService('consent', ConsentModule);
