// The heap cap each streaming command runs under (see silta-audit.js for why), in one place: the
// bin script starts verify and replay with it, and the benchmarks measure them as started here.
//
// verify and replay stream the log, but V8 lets the old space grow over each page's short-lived
// garbage: peak RSS ~310 MB over a million events without a cap. replay's live heap is small
// (~36 MB): 96 MB costs it no speed. verify also holds the per-student completeness map (one entry
// per student, ~10 MB for 60,000 students): under 96 MB, V8 spent over a third of a million-event
// v2 verify in mark-compact, so verify gets 128 MB (measured by hand on 2026-12-02 over the
// bench's million v2 events: ~19 s and ~240 MB peak RSS instead of ~23 s and ~220 MB). A log of
// many more students needs more: pass --max-old-space-size yourself (NODE_OPTIONS).
exports.STREAMING_HEAP_FLAGS = Object.freeze({ verify: '--max-old-space-size=128', replay: '--max-old-space-size=96' });
