package com.teamsemergency.streams.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * Makes dead letters: the failed record (or the failed item of a collection), with headers that say why and where
 * it came from, as docs/DEAD-LETTERS.md documents. Processors and the exception handlers both come here, so that
 * every dead letter has the same headers, fits the size a producer accepts, and carries no client state.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "dead-letter.reason";
    public static final String DESCRIPTION = "dead-letter.description";
    public static final String DETAIL = "dead-letter.detail";
    public static final String SOURCE_TOPIC = "dead-letter.source.topic";
    public static final String SOURCE_PARTITION = "dead-letter.source.partition";
    public static final String SOURCE_OFFSET = "dead-letter.source.offset";
    public static final String NOTIFICATION_INDEX = "dead-letter.notification.index";
    public static final String VALUE_OMITTED_BYTES = "dead-letter.value.omitted-bytes";

    /**
     * What one dead letter may weigh, key, value and headers together: well under the 1 MB (1,000,000 bytes on
     * Event Hubs) that a producer may send. Past it the value is left out, then the input's own headers, then a long
     * key; the source coordinates still find the input. A record the producer refused would, under exactly-once,
     * abort the transaction and stop the stream thread on the same input again and again.
     */
    static final int MAX_RECORD_BYTES = 900_000;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHeaders.class);
    private static final int MAX_DETAIL_LENGTH = 500;
    private static final int MAX_KEY_BYTES = 4_096;
    private static final long WARN_INTERVAL_MS = 60_000;
    private static final String CLIENT_STATE_NAME = "\"clientState\"";
    private static final byte[] CLIENT_STATE_FIELD = CLIENT_STATE_NAME.getBytes(StandardCharsets.UTF_8);
    private static final Map<DeadLetterReason, Long> LAST_WARNING = new ConcurrentHashMap<>();

    private DeadLetterHeaders() {
    }

    /**
     * A routed dead letter for {@code record}, the input record being processed by {@code context}; {@code value} is
     * the record's value when all of it failed, or the failed notification's JSON when only one item did.
     */
    static Record<String, Routed> deadLetter(ProcessorContext<?, ?> context, Record<byte[], byte[]> record,
                                             byte[] value, DeadLetterReason reason, String detail,
                                             int notificationIndex) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        String topic = metadata == null ? "" : metadata.topic();
        int partition = metadata == null ? -1 : metadata.partition();
        long offset = metadata == null ? -1 : metadata.offset();
        logDeadLetter(reason, topic, partition, offset, notificationIndex);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Routed.DeadLetter letter = new Routed.DeadLetter(record.key(), value, reason, detail, topic,
                partition, offset, notificationIndex);
        return new Record<>(key, letter, record.timestamp(), record.headers());
    }

    /** The record that goes to the dead-letter topic. */
    static Record<byte[], byte[]> toOutput(Record<String, Routed> routed) {
        Routed.DeadLetter letter = (Routed.DeadLetter) routed.value();
        Letter out = letter(letter.originalKey(), letter.originalValue(), routed.headers(), letter.reason(),
                letter.detail(), letter.topic(), letter.partition(), letter.offset(), letter.notificationIndex());
        return new Record<>(out.key(), out.value(), routed.timestamp(), out.headers());
    }

    /** A dead letter's key, value and headers, within {@link #MAX_RECORD_BYTES}. */
    public record Letter(byte[] key, byte[] value, Headers headers) {
    }

    /** Builds a dead letter from its parts; the exception handlers, which have no processor context, use this. */
    public static Letter letter(byte[] key, byte[] value, Headers inputHeaders, DeadLetterReason reason, String detail,
                                String topic, int partition, long offset, int notificationIndex) {
        Headers ours = new RecordHeaders();
        put(ours, REASON, reason.code());
        put(ours, DESCRIPTION, reason.description());
        if (detail != null) {
            put(ours, DETAIL, detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail);
        }
        put(ours, SOURCE_TOPIC, topic == null ? "" : topic);
        put(ours, SOURCE_PARTITION, Integer.toString(partition));
        put(ours, SOURCE_OFFSET, Long.toString(offset));
        if (notificationIndex >= 0) {
            put(ours, NOTIFICATION_INDEX, Integer.toString(notificationIndex));
        }

        byte[] maskedValue = withoutClientState(value);
        Headers inherited = inputHeaders == null ? new RecordHeaders() : inputHeaders;
        if (size(key, maskedValue, inherited, ours) > MAX_RECORD_BYTES && maskedValue != null) {
            put(ours, VALUE_OMITTED_BYTES, Integer.toString(maskedValue.length));
            maskedValue = null;
        }
        if (size(key, maskedValue, inherited, ours) > MAX_RECORD_BYTES) {
            inherited = new RecordHeaders();
        }
        if (key != null && key.length > MAX_KEY_BYTES && size(key, maskedValue, inherited, ours) > MAX_RECORD_BYTES) {
            key = null;
        }
        Headers headers = new RecordHeaders(inherited.toArray());
        for (Header header : ours) {
            headers.remove(header.key());
            headers.add(header);
        }
        return new Letter(key, maskedValue, headers);
    }

    /**
     * The value with every {@code "clientState": "..."} masked: a whole record that failed before its items were
     * read may still hold our secret, and the dead-letter topic is no place for it.
     */
    static byte[] withoutClientState(byte[] value) {
        if (value == null || indexOf(value, CLIENT_STATE_FIELD, 0) < 0) {
            return value;
        }
        // A hand-written scan, not a regular expression: a hostile megabyte-long string must not cost a stack.
        String text = new String(value, StandardCharsets.UTF_8);
        StringBuilder masked = new StringBuilder(text.length());
        int copied = 0;
        int field = text.indexOf(CLIENT_STATE_NAME);
        while (field >= 0) {
            int i = skipSpaces(text, field + CLIENT_STATE_NAME.length());
            if (i < text.length() && text.charAt(i) == ':') {
                i = skipSpaces(text, i + 1);
                if (i < text.length() && text.charAt(i) == '"') {
                    int end = i + 1;
                    while (end < text.length() && text.charAt(end) != '"') {
                        end += text.charAt(end) == '\\' ? 2 : 1;
                    }
                    masked.append(text, copied, i + 1).append("[redacted]");
                    copied = Math.min(end, text.length());
                    i = copied;
                }
            }
            field = text.indexOf(CLIENT_STATE_NAME, Math.max(i, field + 1));
        }
        masked.append(text, copied, text.length());
        return masked.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * WARN for the first dead letter of a reason in a minute, DEBUG for the rest: an operator learns at once that
     * certificates or client state are wrong, and hostile input cannot flood the log.
     */
    static void logDeadLetter(DeadLetterReason reason, String topic, int partition, long offset, int index) {
        long now = System.currentTimeMillis();
        Long last = LAST_WARNING.get(reason);
        String what = index < 0 ? "whole record" : "notification " + index;
        if (last == null || now - last >= WARN_INTERVAL_MS) {
            LAST_WARNING.put(reason, now);
            log.warn("Dead letter from {}-{}@{} ({}): {}; further ones of this reason within a minute at DEBUG",
                    topic, partition, offset, what, reason.code());
        } else {
            log.debug("Dead letter from {}-{}@{} ({}): {}", topic, partition, offset, what, reason.code());
        }
    }

    private static long size(byte[] key, byte[] value, Headers inherited, Headers ours) {
        long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Headers headers : new Headers[] {inherited, ours}) {
            for (Header header : headers) {
                size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
            }
        }
        return size;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
