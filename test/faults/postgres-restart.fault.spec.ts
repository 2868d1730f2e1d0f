import { killTestProcesses } from '@silta/testing';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { sleep, underLoad } from './load';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

/**
 * PostgreSQL crashes and restarts under load (`pg_ctl stop -m immediate`, 3 s down, then start:
 * every connection is cut mid-transaction and the server recovers from its WAL). The apps' databases all live on it,
 * as they would on one managed server. While it is down, nothing may be answered as done that was
 * not committed: a decision is refused rather than released without its audit event, a consent
 * write is refused rather than acknowledged unstored. Afterwards the apps, their relays and their
 * consumers reconnect by themselves: nobody restarts them.
 */
describe('fault: PostgreSQL restarts under load', () => {
  let postgres: PrivatePostgres;
  let world: FaultWorld;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    world = await startFaultWorld('pg', { postgresAdminUrl: postgres.adminUrl });
  }, 240_000);

  afterAll(async () => {
    await world?.stop().catch(() => undefined);
    await killTestProcesses();
    postgres?.stop();
  }, 60_000);

  it('crashes and recovers under load: no answer without its record, the apps reconnect by themselves', async () => {
    const pids = Object.fromEntries(Object.entries(world.apps).map(([name, app]) => [name, app!.child.pid]));
    let restartedAt = 0;
    const load = await underLoad(world, async () => {
      restartedAt = Date.now();
      await postgres.crash();
      await sleep(3_000);
      await postgres.start();
    });
    const report = await checkInvariants('PostgreSQL crash and restart under load', world, load);
    printReport(report);
    expect(report.violations).toEqual([]);
    // The same processes served before and after: they reconnected on their own.
    expect(Object.fromEntries(Object.entries(world.apps).map(([name, app]) => [name, app!.child.exitCode === null ? app!.child.pid : 'exited']))).toEqual(pids);
    expect(load.exchanges.some((e) => e.at >= restartedAt && e.status >= 500)).toBe(true);
    expect(report.consentWritesAcknowledged).toBeGreaterThan(0);
  }, 300_000);
});
