/** Kafka topics, one per producing service; the suffix is the topic's contract generation. */
export const Topics = {
  roster: 'silta.roster.v1',
  consent: 'silta.consent.v1',
  disclosure: 'silta.disclosure.v1',
  /** The welfare area's receipts service: receipts, its log's checkpoints, its cosignatures. */
  receipts: 'silta.receipts.v1',
} as const;

/** Where a consumer sends messages that fail validation: the source topic with a suffix. */
export function deadLetterTopicOf(topic: string, consumerGroup: string): string {
  return `${topic}.${consumerGroup}.dlt`;
}
