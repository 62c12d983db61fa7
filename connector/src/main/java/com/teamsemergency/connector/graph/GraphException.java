package com.teamsemergency.connector.graph;

import java.time.Duration;
import java.util.Optional;

/** A Graph request answered with an error status, with Graph's error code and message and any Retry-After. */
public class GraphException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Duration retryAfter;

    public GraphException(String method, String path, int status, String code, String message, Duration retryAfter) {
        super(method + " " + path + " answered " + status + (code == null ? "" : " " + code)
                + (message == null || message.isEmpty() ? "" : ": " + message));
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
