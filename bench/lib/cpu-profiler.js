// Preloaded (NODE_OPTIONS=--require) into an app the benchmark profiles: node 20 refuses --cpu-prof
// in NODE_OPTIONS, so this starts V8's sampling profiler through the inspector and, on SIGUSR2,
// writes <BENCH_PROFILE_DIR>/<name>-<pid>.cpuprofile and exits.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(join(process.env.BENCH_PROFILE_DIR, `disclosure-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    process.exit(0);
  });
});
