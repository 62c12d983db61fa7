package com.teamsemergency.streams.topology;

import java.util.Locale;

/** The two ways a chat message reaches the application; an alert says which one brought it first. */
public enum MessageSource {
    NOTIFICATION,
    RECONCILIATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
