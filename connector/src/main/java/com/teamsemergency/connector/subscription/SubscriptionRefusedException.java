package com.teamsemergency.connector.subscription;

/** Graph refused the subscription for a reason only a person can fix; the message says what to do. */
public class SubscriptionRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SubscriptionRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
