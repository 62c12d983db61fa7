package com.teamsemergency.common.message;

/**
 * What the emergency rules made of one chat message: whether it announces an emergency call and what it says.
 *
 * @param emergency      a marker matched the plain text
 * @param matchedMarker  the configured marker that matched, or null
 * @param dialedNumber   the number dialled, or null when not found
 * @param location       the location the caller's client reported, or null
 * @param callbackNumber the number to call back, or null
 * @param testCall       the dialled number is a configured test number (e.g. 933)
 * @param complete       both the dialled number and the location were found
 * @param text           the message's plain text
 */
public record Recognition(boolean emergency, String matchedMarker, String dialedNumber, String location,
                          String callbackNumber, boolean testCall, boolean complete, String text) {

    /** The recognition of a message that announces no emergency. */
    public static Recognition notEmergency(String text) {
        return new Recognition(false, null, null, null, null, false, false, text);
    }

    // The text is a message body and the location is personal data: neither belongs in a log line.
    @Override
    public String toString() {
        return "Recognition[emergency=" + emergency + ", matchedMarker=" + matchedMarker + ", dialedNumber="
                + dialedNumber + ", locationFound=" + (location != null) + ", callbackNumberFound="
                + (callbackNumber != null) + ", testCall=" + testCall + ", complete=" + complete + ", textLength="
                + (text == null ? 0 : text.length()) + "]";
    }
}
