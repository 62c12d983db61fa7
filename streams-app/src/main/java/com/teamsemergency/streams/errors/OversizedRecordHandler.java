package com.teamsemergency.streams.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.streams.topology.DeadLetterHeaders;

/**
 * The last guard against a record that the producer refuses as too large: without it the stream thread dies, its
 * partitions stop, and the same input kills the next thread too, so every later emergency call would go unalerted.
 * The record is replaced by a dead letter that has no value but says where its input came from.
 */
public final class OversizedRecordHandler implements ProductionExceptionHandler {

    /** The Streams setting that names the dead-letter topic for this handler. */
    public static final String DEAD_LETTER_TOPIC_CONFIG = "emergency-alerts.dead-letters.topic";

    private static final Logger log = LoggerFactory.getLogger(OversizedRecordHandler.class);
    private static final int MAX_KEY_BYTES = 4_096;

    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DEAD_LETTER_TOPIC_CONFIG);
        deadLetterTopic = topic == null ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        int size = record.value() == null ? 0 : record.value().length;
        log.error("A record of {} bytes for {} is over the size limit, from {}-{}@{}; it is left out and a dead letter "
                + "says so", size, record.topic(), context.topic(), context.partition(), context.offset());
        if (deadLetterTopic == null || deadLetterTopic.equals(record.topic())) {
            return Response.resume();
        }

        Headers headers = new RecordHeaders();
        put(headers, DeadLetterHeaders.REASON, DeadLetterReason.RECORD_TOO_LARGE.code());
        put(headers, DeadLetterHeaders.DESCRIPTION, DeadLetterReason.RECORD_TOO_LARGE.description());
        put(headers, DeadLetterHeaders.DETAIL, "a record of " + size + " bytes for " + record.topic()
                + " was refused: " + exception.getMessage());
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, String.valueOf(context.topic()));
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(context.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(context.offset()));
        put(headers, DeadLetterHeaders.VALUE_OMITTED_BYTES, Integer.toString(size));
        byte[] key = record.key() != null && record.key().length <= MAX_KEY_BYTES ? record.key() : null;
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, key, null, headers)));
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
