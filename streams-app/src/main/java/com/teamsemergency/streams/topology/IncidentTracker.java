package com.teamsemergency.streams.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.alert.EmergencyAlert;

/**
 * Turns chat messages, partitioned by chat, into alerts: an emergency message opens an incident and is alerted at
 * once; a later message in the same chat within the incident window updates it. A message seen before (Graph and
 * reconciliation both deliver, each at least once) is dropped.
 *
 * <p>Only messages that produce an alert are remembered for deduplication: the others produce nothing, however
 * often they come, so the store stays as small as the number of incidents.
 */
final class IncidentTracker implements Processor<String, ChatEvent, String, EmergencyAlert> {

    static final String SEEN_MESSAGES_STORE = "seen-messages-store";
    static final String INCIDENTS_STORE = "incidents-store";

    private static final Logger log = LoggerFactory.getLogger(IncidentTracker.class);
    private static final Duration EXPIRY_SCAN_INTERVAL = Duration.ofMinutes(1);

    private final Duration dedupHorizon;
    private final Duration incidentWindow;
    private final ProcessingCounters counters;
    private ProcessorContext<String, EmergencyAlert> context;
    private KeyValueStore<String, Long> seenMessages;
    private KeyValueStore<String, Incident> incidents;

    IncidentTracker(Duration dedupHorizon, Duration incidentWindow, ProcessingCounters counters) {
        this.dedupHorizon = dedupHorizon;
        this.incidentWindow = incidentWindow;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, EmergencyAlert> context) {
        this.context = context;
        this.seenMessages = context.getStateStore(SEEN_MESSAGES_STORE);
        this.incidents = context.getStateStore(INCIDENTS_STORE);
        context.schedule(EXPIRY_SCAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<String, ChatEvent> record) {
        ChatEvent message = record.value();
        if (message == null) {
            return;
        }
        Incident open = openIncident(message);
        if (!message.emergency() && open == null) {
            return;
        }

        if (seenMessages.get(message.messageKey()) != null) {
            counters.duplicateDropped();
            log.debug("Dropped a second delivery of message {} ({})", message.messageId(), message.source().label());
            return;
        }
        // The same clock as the punctuation that forgets: Streams' wall clock (which the test driver can advance).
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        seenMessages.put(message.messageKey(), now.toEpochMilli());

        Incident incident;
        if (message.emergency()) {
            incident = Incident.openedBy(incidentId(message), message, now);
            log.info("Emergency call detected: incident {} in chat {} ({}, test={})", incident.incidentId(),
                    message.chatId(), message.source().label(), message.testCall());
        } else {
            incident = open.updatedBy(message, now);
            log.info("Incident {} updated by message {} (update {})", incident.incidentId(), message.messageId(),
                    incident.updateCount());
        }
        incidents.put(message.chatId(), incident);
        counters.alerted();
        context.forward(new Record<>(incident.incidentId(), alertOf(incident, message, now), record.timestamp()));
    }

    /** The chat's incident if this message, by its creation time, falls within the incident's window. */
    private Incident openIncident(ChatEvent message) {
        Incident incident = incidents.get(message.chatId());
        if (incident == null || message.createdAt() == null) {
            return null;
        }
        boolean afterCall = !message.createdAt().isBefore(incident.call().createdAt());
        boolean withinWindow = !message.createdAt().isAfter(incident.lastActivityAt().plus(incidentWindow));
        return afterCall && withinWindow ? incident : null;
    }

    /** The same call always gets the same id, whichever path brings it and however often it is replayed. */
    static String incidentId(ChatEvent call) {
        return UUID.nameUUIDFromBytes(call.messageKey().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static EmergencyAlert alertOf(Incident incident, ChatEvent message, Instant detectedAt) {
        ChatEvent call = incident.call();
        EmergencyAlert.LatestMessage latest = incident.updateCount() == 0 ? null
                : new EmergencyAlert.LatestMessage(message.messageId(), message.senderId(), message.senderName(),
                        message.createdAt(), message.source().label());
        return new EmergencyAlert(EmergencyAlert.SCHEMA_VERSION, incident.incidentId(), call.testCall(),
                call.dialedNumber(),
                new EmergencyAlert.Caller(call.senderId(), call.senderName(), call.callbackNumber()),
                call.reportedLocation(), null, false, call.rulesComplete(), call.text(), call.chatId(),
                call.messageId(), call.createdAt(), detectedAt,
                call.source().label(), incident.updateCount(), latest);
    }

    private void forgetExpired(long wallClockMillis) {
        long seenCutoff = wallClockMillis - dedupHorizon.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seenMessages.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < seenCutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seenMessages::delete);

        // An incident is kept for two windows past its last change, so that a follow-up that reconciliation brings
        // late still finds it; after that, nothing can update it.
        Instant incidentCutoff = Instant.ofEpochMilli(wallClockMillis).minus(incidentWindow.multipliedBy(2));
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, Incident> all = incidents.all()) {
            while (all.hasNext()) {
                KeyValue<String, Incident> entry = all.next();
                if (entry.value.updatedAt().isBefore(incidentCutoff)) {
                    closed.add(entry.key);
                }
            }
        }
        closed.forEach(incidents::delete);
        if (!expired.isEmpty() || !closed.isEmpty()) {
            log.debug("Forgot {} message ids and {} incidents", expired.size(), closed.size());
        }
    }
}
