package com.teamsemergency.streams.topology;

import java.util.Locale;

/**
 * Entra object ids as the location table keys them: GUIDs in lower case, as Graph writes them, whatever case a
 * spreadsheet used.
 */
public final class UserIds {

    private UserIds() {
    }

    public static String normalise(String userId) {
        return userId == null ? null : userId.strip().toLowerCase(Locale.ROOT);
    }
}
