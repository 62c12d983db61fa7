package com.teamsemergency.connector.errors;

/** What the task does about a failure. */
public enum Disposition {
    /** Retry later with backoff, honouring Retry-After: throttling, 5xx, timeouts, network errors. */
    TRANSIENT,
    /** The tokens are no longer good: a person must sign in again; publish a new prompt. */
    SIGN_IN_AGAIN,
    /** Nothing a retry can fix: fail the task with a message a person can act on. */
    PERMANENT
}
