// Preloaded (`node -r`) into a measured child process: when it exits, writes its peak resident set
// size (VmHWM from /proc/self/status, in kB) to the file named by BENCH_PEAK_RSS_FILE. Written as
// plain JavaScript (no imports, no type syntax) so that node loads it as it is into a compiled
// program, without SWC; the block keeps its names out of the TypeScript program's global scope.
{
  const fs = process.getBuiltinModule('node:fs');
  const target = process.env.BENCH_PEAK_RSS_FILE;
  if (target) {
    process.on('exit', () => {
      const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      fs.writeFileSync(target, match ? match[1] : '');
    });
  }
}
