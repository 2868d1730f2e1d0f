import { Module } from '@nestjs/common';
import { Topics } from '@silta/contracts';
import { PlatformModule, relayProvider } from '@silta/platform';
import { AssessCapacityController } from './assess-capacity/assess-capacity.controller';
import { AssessCapacityHandler } from './assess-capacity/assess-capacity.handler';
import { CapacityLog } from './consent-store/capacity-log';
import { AssessGuardianBanController } from './assess-guardian-ban/assess-guardian-ban.controller';
import { AssessGuardianBanHandler } from './assess-guardian-ban/assess-guardian-ban.handler';
import { ConfidentialityLog } from './consent-store/confidentiality-log';
import { ConsentChanges } from './consent-store/consent-changes';
import { ConsentLog } from './consent-store/consent-log';
import { ConsentEntity, ConsentsTable } from './consent-store/consents.table';
import { GrantConsentController } from './grant-consent/grant-consent.controller';
import { GrantConsentHandler } from './grant-consent/grant-consent.handler';
import { ListConsentsController } from './list-consents/list-consents.controller';
import { ListConsentsHandler } from './list-consents/list-consents.handler';
import { ListMyStudentsController } from './list-my-students/list-my-students.controller';
import { ListMyStudentsHandler } from './list-my-students/list-my-students.handler';
import { PauseConsentController } from './pause-consent/pause-consent.controller';
import { PauseConsentHandler } from './pause-consent/pause-consent.handler';
import { ReadCapacityController } from './read-capacity/read-capacity.controller';
import { ReadCapacityHandler } from './read-capacity/read-capacity.handler';
import { ReadGuardianVisibilityController } from './read-guardian-visibility/read-guardian-visibility.controller';
import { ReadGuardianVisibilityHandler } from './read-guardian-visibility/read-guardian-visibility.handler';
import { translateConsentEvent } from './relay/consent-messages';
import { ResumeConsentController } from './resume-consent/resume-consent.controller';
import { ResumeConsentHandler } from './resume-consent/resume-consent.handler';
import { rosterViewConsumer } from './roster-view/roster-view.consumer';
import { rosterViewEntities } from './roster-view/roster-view.entities';
import { RosterViewProjection } from './roster-view/roster-view.projection';
import { RosterStanding } from './roster-view/roster-standing';
import { RosterView } from './roster-view/roster-view.reader';
import { SetGuardianVisibilityController } from './set-guardian-visibility/set-guardian-visibility.controller';
import { SetGuardianVisibilityHandler } from './set-guardian-visibility/set-guardian-visibility.handler';
import { WithdrawConsentController } from './withdraw-consent/withdraw-consent.controller';
import { WithdrawConsentHandler } from './withdraw-consent/withdraw-consent.handler';

/**
 * The consent service: guardians and students grant, pause, resume and withdraw consents, each
 * in its own event stream, checked against a roster view fed by silta.roster.v1; students (or a
 * welfare professional on their behalf) declare what their guardians may not see, and a health-care
 * professional may assess such a ban, in a stream per student; welfare professionals assess, per
 * field, whether the student decides for themselves (which decides who may grant), in a stream per
 * student. The relay publishes all three to silta.consent.v1.
 */
@Module({
  imports: [PlatformModule.forService({ service: 'consent', entities: [...rosterViewEntities, ConsentEntity] })],
  controllers: [
    GrantConsentController,
    WithdrawConsentController,
    PauseConsentController,
    ResumeConsentController,
    ListConsentsController,
    ListMyStudentsController,
    SetGuardianVisibilityController,
    ReadGuardianVisibilityController,
    AssessGuardianBanController,
    AssessCapacityController,
    ReadCapacityController,
  ],
  providers: [
    ConsentLog,
    ConsentsTable,
    ConsentChanges,
    ConfidentialityLog,
    CapacityLog,
    RosterView,
    RosterStanding,
    RosterViewProjection,
    rosterViewConsumer,
    relayProvider({ topic: Topics.consent, translate: translateConsentEvent }),
    GrantConsentHandler,
    WithdrawConsentHandler,
    PauseConsentHandler,
    ResumeConsentHandler,
    ListConsentsHandler,
    ListMyStudentsHandler,
    SetGuardianVisibilityHandler,
    ReadGuardianVisibilityHandler,
    AssessGuardianBanHandler,
    AssessCapacityHandler,
    ReadCapacityHandler,
  ],
})
export class ConsentModule {}
