package com.teamsemergency.streams.topology;

import java.time.Instant;

/**
 * One emergency call, as remembered per chat while later messages may still update it.
 *
 * @param lastActivityAt creation time of the newest message that belongs to the incident, never later than when it
 *                       was seen, so that a message dated in the future cannot hold the incident open
 * @param updatedAt      when the incident last changed, by this application's clock: it decides when to forget it
 */
public record Incident(
        String incidentId,
        ChatEvent call,
        Instant lastActivityAt,
        Instant updatedAt,
        int updateCount) {

    static Incident openedBy(String incidentId, ChatEvent call, Instant now) {
        return new Incident(incidentId, call, earliest(call.createdAt(), now), now, 0);
    }

    Incident updatedBy(ChatEvent message, Instant now) {
        Instant created = earliest(message.createdAt(), now);
        Instant latest = created.isAfter(lastActivityAt) ? created : lastActivityAt;
        return new Incident(incidentId, call, latest, now, updateCount + 1);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
