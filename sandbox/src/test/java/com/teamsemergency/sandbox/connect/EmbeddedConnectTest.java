package com.teamsemergency.sandbox.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Checks the worker settings the sandbox derives, without starting a worker. */
class EmbeddedConnectTest {

    @Test
    void namesStorageTopicsAfterTheGroupId() {
        Map<String, String> props = EmbeddedConnect.workerProperties("127.0.0.1:9092",
                EmbeddedConnect.ValueFormat.BYTES, Map.of("group.id", "alerts-connect"));
        assertEquals("alerts-connect-configs", props.get("config.storage.topic"));
        assertEquals("alerts-connect-offsets", props.get("offset.storage.topic"));
        assertEquals("alerts-connect-status", props.get("status.storage.topic"));
    }

    @Test
    void usesStringKeysAndTheChosenValueFormat() {
        Map<String, String> json = EmbeddedConnect.workerProperties("127.0.0.1:9092",
                EmbeddedConnect.ValueFormat.JSON, Map.of());
        assertEquals("org.apache.kafka.connect.storage.StringConverter", json.get("key.converter"));
        assertEquals("org.apache.kafka.connect.json.JsonConverter", json.get("value.converter"));
        assertEquals("false", json.get("value.converter.schemas.enable"));
        Map<String, String> bytes = EmbeddedConnect.workerProperties("127.0.0.1:9092",
                EmbeddedConnect.ValueFormat.BYTES, Map.of());
        assertEquals("org.apache.kafka.connect.converters.ByteArrayConverter", bytes.get("value.converter"));
    }

    @Test
    void letsExtraPropertiesOverrideDefaults() {
        Map<String, String> props = EmbeddedConnect.workerProperties("127.0.0.1:9092",
                EmbeddedConnect.ValueFormat.BYTES, Map.of("offset.flush.interval.ms", "100",
                        "value.converter", "org.apache.kafka.connect.storage.StringConverter"));
        assertEquals("100", props.get("offset.flush.interval.ms"));
        assertEquals("org.apache.kafka.connect.storage.StringConverter", props.get("value.converter"));
        assertEquals("http://127.0.0.1:0", props.get("listeners"));
        assertEquals("service_load", props.get("plugin.discovery"));
    }
}
