import { itAuditsPermitsAndDenials, itFailsClosedWhenTheStoreIsDown } from './testing/decision-path';
import { CATCH_UP_MS, startDisclosure, type DisclosureIntFixture } from './testing/disclosure-int-fixture';

// `npm start` runs disclosure without a DATABASE_URL: its event store and read models are SQLite
// files under DATA_DIR. The decision path on those files, with the real broker: audited permits and
// denials, and failing closed when the event store refuses the append. (A file of its own:
// the platform module reads its configuration once per module registry, so one store per file.)

describe('disclosure on SQLite, as npm start runs it', () => {
  let disclosure: DisclosureIntFixture;

  beforeAll(async () => {
    disclosure = await startDisclosure('sqlite', 'sqlite');
  }, CATCH_UP_MS + 60_000);
  afterAll(() => disclosure?.close());

  itAuditsPermitsAndDenials(() => disclosure);
  itFailsClosedWhenTheStoreIsDown(() => disclosure);
});
