package com.teamsemergency.streams.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.teamsemergency.common.deadletter.DeadLetterReason;

class DeadLetterHeadersTest {

    @Test
    void keepsAKeyValueAndHeadersThatFit() {
        DeadLetterHeaders.Letter letter = DeadLetterHeaders.letter(bytes("k"), bytes("{}"), null,
                DeadLetterReason.NOT_JSON, "detail", "graph-notifications", 1, 42, -1);

        assertEquals("{}", new String(letter.value(), StandardCharsets.UTF_8));
        assertEquals("not-json", header(letter, DeadLetterHeaders.REASON));
        assertEquals("42", header(letter, DeadLetterHeaders.SOURCE_OFFSET));
        assertNull(letter.headers().lastHeader(DeadLetterHeaders.NOTIFICATION_INDEX));
    }

    @Test
    void leavesOutTheValueThenALongKeySoThatTheLetterCanBeWritten() {
        byte[] key = new byte[49_000];
        byte[] value = new byte[999_000];
        Arrays.fill(value, (byte) 'x');
        RecordHeaders inherited = new RecordHeaders();
        inherited.add("amqp", new byte[200_000]);

        DeadLetterHeaders.Letter letter = DeadLetterHeaders.letter(key, value, inherited, DeadLetterReason.NOT_JSON,
                null, "graph-notifications", 0, 7, -1);

        assertNull(letter.value());
        assertEquals("999000", header(letter, DeadLetterHeaders.VALUE_OMITTED_BYTES));
        long size = (letter.key() == null ? 0 : letter.key().length);
        for (Header header : letter.headers()) {
            size += header.key().length() + header.value().length;
        }
        assertTrue(size < DeadLetterHeaders.MAX_RECORD_BYTES, "fits: " + size);
        assertNotNull(header(letter, DeadLetterHeaders.SOURCE_TOPIC));
    }

    @Test
    void masksEveryClientStateInAWholeRecord() {
        String record = "{\"value\":[{\"clientState\" : \"s3cr\\\"et\"},{\"clientState\":\"other\"}],\"value\":[]}";

        String masked = new String(DeadLetterHeaders.withoutClientState(bytes(record)), StandardCharsets.UTF_8);

        assertFalse(masked.contains("s3cr") || masked.contains("other"), masked);
        assertEquals(2, masked.split("\\[redacted]", -1).length - 1, masked);
        assertTrue(masked.endsWith("\"value\":[]}"), masked);
    }

    @Test
    void masksAHugeClientStateWithoutRunningOutOfStack() {
        String record = "{\"clientState\":\"" + "a\\\"".repeat(300_000) + "\"}";

        String masked = new String(DeadLetterHeaders.withoutClientState(bytes(record)), StandardCharsets.UTF_8);

        assertEquals("{\"clientState\":\"[redacted]\"}", masked);
    }

    private static String header(DeadLetterHeaders.Letter letter, String name) {
        Header header = letter.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
