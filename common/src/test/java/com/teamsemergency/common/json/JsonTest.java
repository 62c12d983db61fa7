package com.teamsemergency.common.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class JsonTest {

    record Sample(String name, Instant at, String missing) {
    }

    @Test
    void writesIsoDatesAndNulls() throws Exception {
        String json = Json.mapper().writeValueAsString(new Sample("x", Instant.parse("2026-12-04T15:02:11Z"), null));

        assertEquals("{\"name\":\"x\",\"at\":\"2026-12-04T15:02:11Z\",\"missing\":null}", json);
    }

    @Test
    void ignoresUnknownProperties() throws Exception {
        Sample sample = Json.mapper().readValue(
                "{\"name\":\"x\",\"at\":\"2026-12-04T15:02:11Z\",\"extra\":1}".getBytes(StandardCharsets.UTF_8),
                Sample.class);

        assertEquals(new Sample("x", Instant.parse("2026-12-04T15:02:11Z"), null), sample);
    }

    @Test
    void sharesOneMapper() {
        assertSame(Json.mapper(), Json.mapper());
    }
}
