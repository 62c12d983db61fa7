package com.teamsemergency.connector.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TaskOffsetTest {

    @Test
    void roundTripsThroughTheOffsetMap() {
        TaskOffset offset = new TaskOffset(Instant.parse("2026-12-04T15:02:11Z"), "sub-1", "v1.sealed");
        assertEquals(offset, TaskOffset.fromMap(offset.toMap()));
    }

    @Test
    void carriesAVersionKey() {
        assertEquals(TaskOffset.VERSION, TaskOffset.EMPTY.toMap().get("version"));
        assertEquals(TaskOffset.VERSION, TaskOffset.partition("desk").get("version"));
        assertEquals("desk", TaskOffset.partition("desk").get("serviceUser"));
    }

    @Test
    void readsNumbersOfAnyWidth() {
        // The JSON converter of the offsets topic gives back an Integer or a Long depending on the value.
        Map<String, Object> stored = new HashMap<>();
        stored.put("version", 1L);
        stored.put("watermarkEpochMs", 5);
        assertEquals(Instant.ofEpochMilli(5), TaskOffset.fromMap(stored).watermark());
    }

    @Test
    void treatsMissingOrFutureOffsetsAsEmpty() {
        assertEquals(TaskOffset.EMPTY, TaskOffset.fromMap(null));
        Map<String, Object> future = new HashMap<>(new TaskOffset(Instant.EPOCH, "s", "c").toMap());
        future.put("version", 2);
        assertEquals(TaskOffset.EMPTY, TaskOffset.fromMap(future));
    }

    @Test
    void leavesAbsentFieldsOutOfTheMap() {
        Map<String, Object> map = TaskOffset.EMPTY.withWatermark(Instant.EPOCH).toMap();
        assertFalse(map.containsKey("tokenCache"));
        assertNull(TaskOffset.fromMap(map).subscriptionId());
    }

    @Test
    void neverPrintsTheSealedCache() {
        assertFalse(new TaskOffset(null, null, "v1.secretblob").toString().contains("secretblob"));
    }
}
