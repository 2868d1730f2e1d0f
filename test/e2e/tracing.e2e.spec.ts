import { eventually, startOtlpCollector, type CollectedSpan, type OtlpCollector } from '@silta/testing';
import { grantConsent, ok, requestDisclosure, startTwoOrgs, type TwoOrgs } from './fixtures-two-orgs';

/**
 * One trace from a guardian's withdrawal to the decision that knew of it: the apps as processes on
 * the real broker, exporting their spans over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT) to a stand-in
 * collector that keeps them in memory.
 */
describe('tracing across the broker', () => {
  let f: TwoOrgs;
  let collector: OtlpCollector;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    f = await startTwoOrgs('trace', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200' });
  }, 300_000);

  afterAll(async () => {
    await f?.stop();
    await collector?.close();
  }, 60_000);

  it("follows one trace id from consent's withdraw request through the relay's publish and disclosure's apply to the next decision", async () => {
    const { student, welfareArea } = f.ids;
    const granted = await grantConsent(f, 'guardian.A1', student.A1, welfareArea.W1, ['absences'], ['curator']);
    expect(ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['absences'], consistentWith: granted.positionToken })).body.outcome).toBe('permit');
    const withdrawn = ok(await f.as['guardian.A1'].post(f.url('consent', `/v1/consents/${granted.consentId}/withdraw`), {}), 'withdraw');
    const next = ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['absences'], consistentWith: (withdrawn.body as { positionToken: string }).positionToken }), 'next decision');
    expect(next.body.outcome).toBe('deny');

    let trail: CollectedSpan[] = [];
    const find = (predicate: (span: CollectedSpan) => boolean) => trail.find(predicate);
    await eventually(
      async () => {
        const withdraw = collector.spans.find((s) => s.service === 'silta-consent' && s.name === 'POST /v1/consents/:consentId/withdraw');
        trail = withdraw ? collector.spans.filter((s) => s.traceId === withdraw.traceId) : [];
        // The curator's request span ends after the decision's span, so it may come in a later export batch.
        const decide = trail.find((s) => s.service === 'silta-disclosure' && s.name === 'disclosure decide');
        return decide !== undefined && collector.spans.some((s) => s.spanId === decide.links[0]?.spanId);
      },
      30_000,
      () => `the withdrawal's trace: ${JSON.stringify(trail.map((s) => `${s.service} ${s.name}`))}; all spans: ${collector.spans.length}`,
    );

    const withdraw = find((s) => s.service === 'silta-consent' && s.name === 'POST /v1/consents/:consentId/withdraw')!;
    const append = find((s) => s.service === 'silta-consent' && s.name === 'event-store append consent' && s.parentSpanId === withdraw.spanId);
    expect(append).toBeDefined();
    const publish = find((s) => s.service === 'silta-consent' && s.name === 'silta.consent.v1 publish' && s.parentSpanId === append!.spanId);
    expect(publish).toMatchObject({ kind: 4, attributes: { 'messaging.destination.name': 'silta.consent.v1', 'silta.event.type': 'ConsentWithdrawn' } });
    const apply = find((s) => s.service === 'silta-disclosure' && s.name === 'silta.consent.v1 process' && s.parentSpanId === publish!.spanId);
    expect(apply).toMatchObject({ kind: 5 });
    const decide = find((s) => s.service === 'silta-disclosure' && s.name === 'disclosure decide' && s.parentSpanId === apply!.spanId);
    expect(decide).toBeDefined();
    // The decision's span is linked to the curator's own request, which has a trace of its own.
    const request = collector.spans.find((s) => s.spanId === decide!.links[0]?.spanId);
    expect(request).toMatchObject({ service: 'silta-disclosure', name: 'POST /v1/disclosures', kind: 2 });
    expect(request!.traceId).not.toBe(withdraw.traceId);

    // No span names or attributes carry the story's people.
    const exported = JSON.stringify(collector.spans);
    for (const id of [...Object.values(f.ids.student), ...Object.values(f.ids.guardian), ...Object.values(f.ids.professional.W1)]) expect(exported).not.toContain(id);
  }, 120_000);
});
