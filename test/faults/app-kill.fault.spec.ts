import { killTestProcesses } from '@silta/testing';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { sleep, underLoad } from './load';

/**
 * kill -9 of an app mid-load, then a restart as the same instance. Disclosure killed between
 * appending a decision's audit event and answering may leave an audited decision nobody heard of
 * (harmless), never an answer without its audit event; consent killed may lose a write nobody was
 * told of, never one it acknowledged; the relays resume from their checkpoints and the view from
 * its committed offsets, so every acknowledged write reaches disclosure's view once in effect.
 */
describe('fault: kill -9 an app mid-load', () => {
  let world: FaultWorld;

  beforeAll(async () => {
    world = await startFaultWorld('kill');
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
    await killTestProcesses();
  }, 60_000);

  for (const app of ['disclosure', 'consent'] as const) {
    it(`kill -9 ${app}, restart it: no answer without its record, no acknowledged write lost`, async () => {
      let killedAt = 0;
      const load = await underLoad(world, async () => {
        await world.kill(app);
        killedAt = Date.now();
        await sleep(2_000);
        await world.restart(app);
      });
      const report = await checkInvariants(`kill -9 ${app} mid-load`, world, load);
      printReport(report);
      expect(report.violations).toEqual([]);
      // The fault really hit the load: requests to the dead app went unanswered, and the load went on after.
      const toKilled = load.exchanges.filter((e) => (app === 'disclosure' ? e.kind === 'decision' : e.kind !== 'decision') && e.at >= killedAt && e.status !== 200 && e.status !== 201);
      expect(toKilled.length).toBeGreaterThan(0);
      expect(report.decisionsAnswered).toBeGreaterThan(0);
      expect(report.consentWritesAcknowledged).toBeGreaterThan(0);
    }, 300_000);
  }
});
