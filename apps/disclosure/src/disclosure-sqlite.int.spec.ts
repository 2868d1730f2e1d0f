import { itAuditsPermitsAndDenials } from './testing/decision-path';
import { startDisclosure, type DisclosureIntFixture } from './testing/disclosure-int-fixture';

// `npm start` runs disclosure without a DATABASE_URL: its event store and read models are SQLite
// files under DATA_DIR. The decision path on those files, with the real broker. (A file of its own:
// the platform module reads its configuration once per module registry, so one store per file.)

describe('disclosure on SQLite, as npm start runs it', () => {
  let disclosure: DisclosureIntFixture;

  beforeAll(async () => {
    disclosure = await startDisclosure('sqlite', 'sqlite');
  });
  afterAll(() => disclosure?.close());

  itAuditsPermitsAndDenials(() => disclosure);
});
