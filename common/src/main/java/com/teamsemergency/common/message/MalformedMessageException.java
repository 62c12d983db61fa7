package com.teamsemergency.common.message;

/**
 * Thrown when a decrypted or fetched document is not a usable {@code chatMessage}.
 */
public class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
