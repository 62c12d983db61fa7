package com.teamsemergency.streams.topology;

import java.time.Instant;

/**
 * One emergency call, as remembered per chat while later messages may still update it.
 *
 * @param lastActivityAt creation time of the newest message that belongs to the incident
 */
public record Incident(
        String incidentId,
        ChatEvent call,
        Instant detectedAt,
        Instant lastActivityAt,
        int updateCount) {

    Incident updatedBy(ChatEvent message) {
        Instant latest = message.createdAt().isAfter(lastActivityAt) ? message.createdAt() : lastActivityAt;
        return new Incident(incidentId, call, detectedAt, latest, updateCount + 1);
    }
}
