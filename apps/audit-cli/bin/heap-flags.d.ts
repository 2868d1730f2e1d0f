/** The heap cap `silta-audit` starts each streaming command with (heap-flags.js). */
export declare const STREAMING_HEAP_FLAGS: Readonly<{ verify: string; replay: string }>;
