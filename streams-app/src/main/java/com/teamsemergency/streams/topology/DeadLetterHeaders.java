package com.teamsemergency.streams.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * Makes dead letters: the original key and bytes, with headers that say why and where they came from. The headers
 * are documented in docs/DEAD-LETTERS.md; an operator can replay a dead letter once its cause is mended.
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
     * Above this a dead letter's value is left out (the source coordinates still find it): with the headers it would
     * pass the 1 MB that Event Hubs and default producers allow, and a record that cannot be written would stop
     * the stream thread instead of leaving a trace.
     */
    static final int MAX_VALUE_BYTES = 1_000_000;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHeaders.class);
    private static final int MAX_DETAIL_LENGTH = 500;

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
        log.warn("Dead letter from {}-{}@{} ({}): {}", topic, partition, offset,
                notificationIndex < 0 ? "whole record" : "notification " + notificationIndex, reason.code());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Routed.DeadLetter letter = new Routed.DeadLetter(record.key(), value, reason, detail, topic,
                partition, offset, notificationIndex);
        return new Record<>(key, letter, record.timestamp(), record.headers());
    }

    /** The record that goes to the dead-letter topic: original key and value, original headers plus ours. */
    static Record<byte[], byte[]> toOutput(Record<String, Routed> routed) {
        Routed.DeadLetter letter = (Routed.DeadLetter) routed.value();
        Headers headers = new RecordHeaders(routed.headers().toArray());
        put(headers, REASON, letter.reason().code());
        put(headers, DESCRIPTION, letter.reason().description());
        if (letter.detail() != null) {
            String detail = letter.detail();
            put(headers, DETAIL, detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail);
        }
        put(headers, SOURCE_TOPIC, letter.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(letter.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(letter.offset()));
        if (letter.notificationIndex() >= 0) {
            put(headers, NOTIFICATION_INDEX, Integer.toString(letter.notificationIndex()));
        }
        byte[] value = letter.originalValue();
        if (value != null && value.length > MAX_VALUE_BYTES) {
            put(headers, VALUE_OMITTED_BYTES, Integer.toString(value.length));
            value = null;
        }
        return new Record<>(letter.originalKey(), value, routed.timestamp(), headers);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
