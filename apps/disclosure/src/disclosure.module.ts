import { Module } from '@nestjs/common';
import { ContractRegistry, Topics, consentContracts, rosterContracts } from '@silta/contracts';
import { AuditCheckpointer, auditLogSettingsProvider, auditTreeEntities } from '@silta/audit-trail';
import { PlatformModule, consumerProvider, relayProvider } from '@silta/platform';
import { AuditLog } from './audit-log/audit-log';
import { AuditLogController } from './audit-log/audit-log.controller';
import { AuditProofs } from './audit-log/audit-proofs';
import { DataSubjectReportController } from './data-subject-report/data-subject-report.controller';
import { GetDataSubjectReportHandler } from './data-subject-report/data-subject-report.handler';
import { translateAuditEvent } from './disclosure-relay';
import { ExplainDisclosureController, ExplainDisclosureHandler } from './explain-disclosure/explain-disclosure';
import { policyProvider } from './policy/policy.provider';
import { DecisionRecordEntity } from './queries/decision-record.entity';
import { AcknowledgeReceiptController, AcknowledgeReceiptHandler } from './receipts/acknowledge-receipt';
import { ListMissingReceiptsHandler, MissingReceiptsController } from './receipts/missing-receipts';
import { DecisionMaker } from './request-disclosure/decision-maker';
import { ReviewEmergencyAccessHandler, ReviewEmergencyController } from './review-emergency/review-emergency';
import { ViewConsistency } from './view/view-consistency';
import { DisclosureQueriesController } from './queries/disclosure-queries.controller';
import { queryHandlers } from './queries/disclosure.query-handlers';
import { RequestDisclosureController } from './request-disclosure/request-disclosure.controller';
import { RequestDisclosureHandler } from './request-disclosure/request-disclosure.handler';
import { RosterClient } from './request-disclosure/roster-client';
import { VIEW_CONSUMER_GROUP } from './view/view.constants';
import { viewEntities } from './view/view.entities';
import { ViewProjection } from './view/view.projection';
import { ViewReader } from './view/view-reader';

/**
 * The decision and enforcement point: decides disclosure requests, writes the audit trail, and
 * serves the data-subject log and the auditor API. Its view of roster and consent comes from Kafka.
 * The audit trail is a tamper-evident log: every audit event carries its Merkle leaf hash, and the
 * checkpointer signs checkpoints of it (AUDIT_SIGNING_KEY is required at boot). Requesters
 * acknowledge released disclosures with receipts, which join the same log and are relayed.
 */
@Module({
  imports: [PlatformModule.forService({ service: 'disclosure', entities: [...viewEntities, DecisionRecordEntity, ...auditTreeEntities] })],
  controllers: [
    RequestDisclosureController,
    ExplainDisclosureController,
    ReviewEmergencyController,
    DisclosureQueriesController,
    DataSubjectReportController,
    AuditLogController,
    AcknowledgeReceiptController,
    MissingReceiptsController,
  ],
  providers: [
    policyProvider,
    auditLogSettingsProvider,
    AuditLog,
    AuditCheckpointer,
    AuditProofs,
    DecisionMaker,
    ViewConsistency,
    RequestDisclosureHandler,
    ExplainDisclosureHandler,
    ReviewEmergencyAccessHandler,
    ...queryHandlers,
    GetDataSubjectReportHandler,
    AcknowledgeReceiptHandler,
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
  ],
})
export class DisclosureModule {}
