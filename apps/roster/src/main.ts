import { bootstrapService } from '@silta/platform';
import { RosterModule } from './roster.module';

void bootstrapService('roster', RosterModule);
