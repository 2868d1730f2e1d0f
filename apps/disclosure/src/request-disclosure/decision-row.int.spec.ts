import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { outcomeOf } from '../testing/decision-path';
import { CATCH_UP_MS, seedStudent, startDisclosure, type DisclosureIntFixture } from '../testing/disclosure-int-fixture';

// On PostgreSQL, disclosure's event store and its decision rows are in one database, so a decision's
// row is written in the transaction of its audit append: the two commit together or not at all.

describe('the decision row on PostgreSQL, written with its audit event', () => {
  let disclosure: DisclosureIntFixture;
  let dataSource: DataSource;

  beforeAll(async () => {
    disclosure = await startDisclosure('decision-row');
    dataSource = disclosure.app.get(DataSource);
  }, CATCH_UP_MS + 60_000);
  afterAll(() => disclosure?.close());

  const REFUSE = 'silta_int_refuse_decision_rows';

  it('fails the decision closed when its row cannot be written: 503, no data, no audit event; the next decision is recorded with its row', async () => {
    const world = await seedStudent(disclosure);
    const curator = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
    const request = () => ({ requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'support assessment' });
    await dataSource.query(`CREATE FUNCTION ${REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'decision rows refused (int test)'; END $$;
      CREATE TRIGGER ${REFUSE} BEFORE INSERT OR UPDATE ON disclosure_decisions FOR EACH ROW EXECUTE FUNCTION ${REFUSE}();`);
    let refused;
    try {
      refused = await disclosure.call('POST', '/v1/disclosures', curator, request());
    } finally {
      await dataSource.query(`DROP TRIGGER ${REFUSE} ON disclosure_decisions; DROP FUNCTION ${REFUSE}();`);
    }
    expect(await disclosure.auditTrailOf(world.studentId)).toEqual([]);
    expect([refused.status, refused.body.code]).toEqual([503, 'event_store_unavailable']);
    expect(JSON.stringify(refused.body)).not.toContain(world.identification.name);

    const permitted = await disclosure.call('POST', '/v1/disclosures', curator, request());
    expect(outcomeOf(permitted)).toEqual({ status: 200, outcome: 'permit', reasons: ['identification_data'], data: { identification: world.identification } });
    const [event] = await disclosure.auditTrailOf(world.studentId);
    const row = await dataSource.manager.findOneByOrFail(DecisionRecordEntity, { disclosureId: permitted.body.disclosureId as string });
    expect([row.auditPosition, (permitted.body.audit as { position: string }).position]).toEqual([event!.position.toString(), event!.position.toString()]);
  });

  it('answers one requestId sent twice at once with one decision, one audit event and its one row', async () => {
    const world = await seedStudent(disclosure);
    const curator = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
    const body = { requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'support assessment' };
    const answers = await Promise.all([disclosure.call('POST', '/v1/disclosures', curator, body), disclosure.call('POST', '/v1/disclosures', curator, body)]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    const trail = await disclosure.auditTrailOf(world.studentId);
    expect(trail.map((event) => [event.id, event.position.toString()])).toEqual([[answers[0]!.body.disclosureId, (answers[0]!.body.audit as { position: string }).position]]);
    const rows = await dataSource.manager.findBy(DecisionRecordEntity, { studentId: world.studentId });
    expect(rows.map((row) => [row.disclosureId, row.auditPosition])).toEqual([[trail[0]!.id, trail[0]!.position.toString()]]);
  });
});
