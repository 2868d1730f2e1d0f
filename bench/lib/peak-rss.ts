// Preloaded (`node -r`) into a measured child process: when it exits, writes its peak resident set
// size (VmHWM from /proc/self/status, in kB) to the file named by BENCH_PEAK_RSS_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.BENCH_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(target, match ? match[1]! : '');
  });
}
