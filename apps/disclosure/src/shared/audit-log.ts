import { Injectable } from '@nestjs/common';
import { AuditLog as PartyAuditLog } from '@silta/audit-trail';
import type { AuditEvent } from '@silta/decision';

/** The municipality's audit log, taking disclosure's audit events only (see @silta/audit-trail). */
@Injectable()
export class AuditLog extends PartyAuditLog<AuditEvent> {}
