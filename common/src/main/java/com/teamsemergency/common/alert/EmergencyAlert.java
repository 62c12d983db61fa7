package com.teamsemergency.common.alert;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.teamsemergency.common.location.UserLocation;

/**
 * The {@code data} of an alert CloudEvent: one emergency call (an incident) as the security desk needs to see it.
 * docs/ALERT-SCHEMA.md documents every field; {@link #SCHEMA_VERSION} changes when a field changes meaning.
 *
 * @param incidentId         stable id of the incident, the same in the call alert and in every update
 * @param test               whether the dialled number is a test number (933 by default)
 * @param dialedNumber       the number the caller dialled, as the message says it; null if the rules did not find it
 * @param caller             who called: the message's sender, with the callback number the message gives
 * @param reportedLocation   the location the caller's Teams client reported, as text; null if not found
 * @param registeredLocation the caller's row in the user-location table; null when none is known
 * @param locationKnown      whether {@code registeredLocation} is present: false means "flag this alert"
 * @param rulesMatched       whether every field rule matched; false means read {@code messageText} yourself
 * @param messageText        the emergency message as plain text
 * @param chatId             the chat the emergency message was posted in
 * @param messageId          the emergency message's id
 * @param messageCreatedAt   when Teams created the emergency message
 * @param detectedAt         when this application recognised it
 * @param source             how the message arrived: {@code notification} or {@code reconciliation}
 * @param updateCount        0 for the call itself, then 1, 2, ... for later messages in the same chat
 * @param latestMessage      for an update, the message that caused it (never its text); null for the call
 */
@JsonPropertyOrder(alphabetic = false)
public record EmergencyAlert(
        int schemaVersion,
        String incidentId,
        boolean test,
        String dialedNumber,
        Caller caller,
        String reportedLocation,
        UserLocation registeredLocation,
        boolean locationKnown,
        boolean rulesMatched,
        String messageText,
        String chatId,
        String messageId,
        Instant messageCreatedAt,
        Instant detectedAt,
        String source,
        int updateCount,
        LatestMessage latestMessage) {

    public static final int SCHEMA_VERSION = 1;

    /** The caller: Entra object id, display name, and the callback number from the message. */
    public record Caller(String id, String name, String callbackNumber) {
    }

    /** The message that made an update: who wrote it and when, but not what it says. */
    public record LatestMessage(String messageId, String senderId, String senderName, Instant createdAt,
                                String source) {
    }

    public EmergencyAlert withRegisteredLocation(UserLocation location) {
        return new EmergencyAlert(schemaVersion, incidentId, test, dialedNumber, caller, reportedLocation, location,
                location != null, rulesMatched, messageText, chatId, messageId, messageCreatedAt, detectedAt, source,
                updateCount, latestMessage);
    }
}
