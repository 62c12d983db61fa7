package com.teamsemergency.streams.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what the topology did, shared by its processors across stream threads, for the service's reports. */
public final class ProcessingCounters {

    private final AtomicLong validationEventsSkipped = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong controlRequests = new AtomicLong();
    private final AtomicLong deletionsSkipped = new AtomicLong();

    void validationEventSkipped() {
        validationEventsSkipped.incrementAndGet();
    }

    void deadLettered() {
        deadLetters.incrementAndGet();
    }

    void duplicateDropped() {
        duplicatesDropped.incrementAndGet();
    }

    void alerted() {
        alerts.incrementAndGet();
    }

    void controlRequested() {
        controlRequests.incrementAndGet();
    }

    void deletionSkipped() {
        deletionsSkipped.incrementAndGet();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("alerts", alerts.get());
        counts.put("duplicatesDropped", duplicatesDropped.get());
        counts.put("deadLetters", deadLetters.get());
        counts.put("validationEventsSkipped", validationEventsSkipped.get());
        counts.put("controlRequests", controlRequests.get());
        counts.put("deletionsSkipped", deletionsSkipped.get());
        return counts;
    }
}
