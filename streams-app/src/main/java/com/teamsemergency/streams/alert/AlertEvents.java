package com.teamsemergency.streams.alert;

import java.net.URI;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.teamsemergency.common.alert.EmergencyAlert;
import com.teamsemergency.common.json.Json;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Wraps alerts in CloudEvents 1.0. The event id is the incident id and the update count, so a replayed or
 * redelivered alert has the id of the original and consumers can drop it by (source, id) as the spec intends.
 */
public final class AlertEvents {

    public static final String CALL_TYPE = "com.teamsemergency.emergency-call.detected";
    public static final String UPDATE_TYPE = "com.teamsemergency.emergency-call.updated";
    public static final URI DATA_SCHEMA = URI.create("urn:teams-emergency-alerts:alert:v"
            + EmergencyAlert.SCHEMA_VERSION);

    private final URI source;

    public AlertEvents(URI source) {
        this.source = source;
    }

    public CloudEvent toCloudEvent(EmergencyAlert alert) {
        byte[] data;
        try {
            data = Json.mapper().writeValueAsBytes(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An alert could not be written as JSON", e);
        }
        return CloudEventBuilder.v1()
                .withId(alert.incidentId() + "/" + alert.updateCount())
                .withSource(source)
                .withType(alert.updateCount() == 0 ? CALL_TYPE : UPDATE_TYPE)
                .withSubject(alert.caller().id())
                .withTime(alert.detectedAt().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(DATA_SCHEMA)
                .withExtension("incidentid", alert.incidentId())
                .withExtension("testcall", alert.test())
                .withData(data)
                .build();
    }
}
