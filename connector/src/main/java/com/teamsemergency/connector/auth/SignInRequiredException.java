package com.teamsemergency.connector.auth;

/** No usable account in the token cache: a person must sign in before the task can call Graph. */
public class SignInRequiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SignInRequiredException(String reason) {
        super(reason);
    }
}
