package com.teamsemergency.streams.errors;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.streams.topology.DeadLetterHeaders;

/**
 * Where the exception handlers send what they could not process. Kafka Streams configures each handler with all of
 * the application's settings; the dead-letter topic reaches them under {@link #CONFIG}.
 */
public final class DeadLetterTopic {

    /** The Streams setting that names the dead-letter topic for the handlers. */
    public static final String CONFIG = "emergency-alerts.dead-letters.topic";

    private final String topic;

    private DeadLetterTopic(String topic) {
        this.topic = topic;
    }

    static DeadLetterTopic from(Map<String, ?> configs) {
        Object topic = configs.get(CONFIG);
        return new DeadLetterTopic(topic == null ? null : topic.toString());
    }

    /** The dead letter for the input that {@code context} names, or nothing when no topic is configured. */
    List<ProducerRecord<byte[], byte[]>> letterFor(ErrorHandlerContext context, byte[] key, byte[] value,
                                                   Headers headers, DeadLetterReason reason, String detail) {
        if (topic == null) {
            return List.of();
        }
        DeadLetterHeaders.Letter letter = DeadLetterHeaders.letter(key, value, headers, reason, detail,
                context.topic(), context.partition(), context.offset(), -1);
        return List.of(new ProducerRecord<>(topic, null, letter.key(), letter.value(), letter.headers()));
    }

    String name() {
        return topic;
    }
}
