import { Module } from '@nestjs/common';
import { ContractRegistry, Topics, consentContracts, receiptsContracts, rosterContracts } from '@silta/contracts';
import { AUDIT_EVENT_SCOPE, AuditLogController, auditTrailProviders, auditTreeEntities } from '@silta/audit-trail';
import { PlatformModule, consumerProvider, relayProvider } from '@silta/platform';
import { AuditBundleController } from './audit-log/audit-log.controller';
import { AuditProofs } from './audit-log/audit-proofs';
import { AuditLogStateController, ReadAuditLogStateHandler } from './audit-log-state/audit-log-state';
import { DisclosureAuditScope } from './audit-log/disclosure-audit-scope';
import { DataSubjectReportController } from './data-subject-report/data-subject-report.controller';
import { GetDataSubjectReportHandler } from './data-subject-report/data-subject-report.handler';
import { ExplainDisclosureController, ExplainDisclosureHandler } from './explain-disclosure/explain-disclosure';
import { ListEmergencyReviewsController, ListEmergencyReviewsHandler } from './list-emergency-reviews/list-emergency-reviews';
import { ListMyDisclosuresController, ListMyDisclosuresHandler } from './list-my-disclosures/list-my-disclosures';
import { ListMyStudentsController, ListMyStudentsHandler } from './list-my-students/list-my-students';
import { ListMissingReceiptsHandler, MissingReceiptsController } from './missing-receipts/missing-receipts';
import { PolicyReadiness, policyProvider } from './shared/policy.provider';
import { DisclosureLogController, GetDisclosureLogHandler } from './read-disclosure-log/read-disclosure-log';
import { GetDisclosureHandler, ReadDisclosureController } from './read-disclosure/read-disclosure';
import { translateAuditEvent } from './relay/disclosure-relay';
import { RequestDisclosureController } from './request-disclosure/request-disclosure.controller';
import { RequestDisclosureHandler } from './request-disclosure/request-disclosure.handler';
import { ReviewEmergencyAccessHandler, ReviewEmergencyController } from './review-emergency/review-emergency';
import { ListSupervisionFlaggedHandler, SearchDisclosuresController, SearchDisclosuresHandler } from './search-disclosures/search-disclosures';
import { AuditLog } from './shared/audit-log';
import { AuditRecordCatchUp, CatchUpPositionEntity } from './shared/audit-record-catch-up';
import { DecisionMaker } from './shared/decision-maker';
import { DecisionRecordEntity } from './shared/decision-record.entity';
import { EmergencyReviewEntity } from './shared/emergency-review.entity';
import { ExplanationRecordEntity } from './shared/explanation-record.entity';
import { RosterClient } from './shared/roster-client';
import { ViewConsistency } from './view/view-consistency';
import { ViewReader } from './view/view-reader';
import { VIEW_CONSUMER_GROUP } from './view/view.constants';
import { viewEntities } from './view/view.entities';
import { ViewProjection } from './view/view.projection';
import { RECEIPTS_TOPIC_GROUP, WelfareAreaTopicProjection } from './welfare-area-topic/welfare-area-topic.projection';
import { DisclosureMetrics } from './shared/disclosure-metrics';

/**
 * The decision and enforcement point: decides disclosure requests, writes the audit trail, and
 * serves the data-subject log and the auditor API. Its view of roster and consent comes from Kafka.
 * The audit trail is a tamper-evident log: every audit event carries its Merkle leaf hash, and the
 * checkpointer signs checkpoints of it (AUDIT_SIGNING_KEY is required at boot). Receipts come from
 * the welfare area's receipts service (silta.receipts.v1) and join this log too; the two parties
 * witness and cosign each other's checkpoints (PEER_AUDIT_KEY, PEER_AUDIT_URL).
 */
@Module({
  imports: [PlatformModule.forService({ service: 'disclosure', entities: [...viewEntities, DecisionRecordEntity, EmergencyReviewEntity, ExplanationRecordEntity, CatchUpPositionEntity, ...auditTreeEntities] })],
  controllers: [
    RequestDisclosureController,
    ExplainDisclosureController,
    ReviewEmergencyController,
    ListMyDisclosuresController,
    ListMyStudentsController,
    ReadDisclosureController,
    DisclosureLogController,
    SearchDisclosuresController,
    ListEmergencyReviewsController,
    DataSubjectReportController,
    AuditLogController,
    AuditBundleController,
    AuditLogStateController,
    MissingReceiptsController,
  ],
  providers: [
    policyProvider,
    PolicyReadiness,
    DisclosureMetrics,
    ...auditTrailProviders,
    { provide: AUDIT_EVENT_SCOPE, useClass: DisclosureAuditScope },
    AuditLog,
    AuditProofs,
    DecisionMaker,
    AuditRecordCatchUp,
    ViewConsistency,
    RequestDisclosureHandler,
    ExplainDisclosureHandler,
    ReviewEmergencyAccessHandler,
    GetDisclosureHandler,
    ListMyDisclosuresHandler,
    ListMyStudentsHandler,
    ReadAuditLogStateHandler,
    GetDisclosureLogHandler,
    SearchDisclosuresHandler,
    ListSupervisionFlaggedHandler,
    ListEmergencyReviewsHandler,
    GetDataSubjectReportHandler,
    WelfareAreaTopicProjection,
    ListMissingReceiptsHandler,
    RosterClient,
    ViewReader,
    ViewProjection,
    relayProvider({ topic: Topics.disclosure, translate: translateAuditEvent }),
    consumerProvider({
      provide: 'DisclosureViewConsumer',
      groupId: VIEW_CONSUMER_GROUP,
      topics: [Topics.roster, Topics.consent],
      contracts: new ContractRegistry([...rosterContracts, ...consentContracts]),
      handler: ViewProjection,
    }),
    consumerProvider({
      provide: 'WelfareAreaTopicConsumer',
      groupId: RECEIPTS_TOPIC_GROUP,
      topics: [Topics.receipts],
      contracts: new ContractRegistry([...receiptsContracts]),
      handler: WelfareAreaTopicProjection,
    }),
  ],
})
export class DisclosureModule {}
