/** The consumer group of disclosure's view; also names its processed-event markers. */
export const VIEW_CONSUMER_GROUP = 'disclosure-view';
