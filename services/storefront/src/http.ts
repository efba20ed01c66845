/** What an answer to a client that went away before its request was read is counted as (as nginx does). */
export const CLIENT_CLOSED_REQUEST = 499;
