import type { EventStore, RecordedEvent } from '@silta/event-store';

/** One stream in order, `pageSize` events per read; nothing when the stream does not exist. */
export async function* readStreamInPages(store: EventStore, stream: string, pageSize: number): AsyncGenerator<RecordedEvent> {
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(stream, { fromRevision, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    fromRevision = page[page.length - 1]!.revision + 1n;
  }
}
