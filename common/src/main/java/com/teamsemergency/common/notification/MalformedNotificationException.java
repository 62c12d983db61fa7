package com.teamsemergency.common.notification;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * Thrown when an Event Hub record is not a well-formed change-notification collection.
 */
public class MalformedNotificationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public MalformedNotificationException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the record was rejected, for the dead-letter topic. */
    public DeadLetterReason reason() {
        return reason;
    }
}
