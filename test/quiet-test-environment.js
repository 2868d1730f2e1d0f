// Passing tests print no app logs; a failing test prints the ones buffered since the last test
// that passed (so a failure shows the app's boot logs too). Code under test adds lines with
// libs/testing's recordTestLog (the Nest logger of the int fixtures, the e2e apps' output).
const { TestEnvironment } = require('jest-environment-node');

const BUFFER = '__SILTA_TEST_LOG__';

class QuietTestEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global[BUFFER] = [];
  }

  async handleTestEvent(event) {
    const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
    if (failed) this.flush(event.test ?? event.hook?.parent);
    else if (event.name === 'test_done') this.global[BUFFER] = [];
  }

  flush(at) {
    const lines = this.global[BUFFER];
    this.global[BUFFER] = [];
    if (lines.length === 0) return;
    process.stderr.write(`\nApp logs before the failure of "${at?.name ?? 'a hook'}":\n${lines.join('')}\n`);
  }
}

module.exports = QuietTestEnvironment;
