package com.teamsemergency.common.crypto;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * Thrown when a notification's encrypted content cannot be turned into its plaintext.
 */
public class DecryptionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public DecryptionException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DecryptionException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@link DeadLetterReason#UNKNOWN_CERTIFICATE}, {@code BAD_SIGNATURE} or {@code UNDECRYPTABLE}. */
    public DeadLetterReason reason() {
        return reason;
    }
}
