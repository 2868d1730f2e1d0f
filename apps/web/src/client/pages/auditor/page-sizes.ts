/** Rows a page of decisions holds: a table an auditor reads through, not the API's maximum. */
export const TABLE_PAGE_SIZE = 25;
/** Emergency accesses a page of the queue holds: each is read and weighed on its own. */
export const QUEUE_PAGE_SIZE = 10;
