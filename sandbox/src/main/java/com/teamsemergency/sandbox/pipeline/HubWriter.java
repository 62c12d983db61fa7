package com.teamsemergency.sandbox.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.teamsemergency.sandbox.graph.encoding.NotificationEncoder;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;

/**
 * Writes into the hub what Microsoft Graph would: encrypted change-notification collections, through the
 * SASL_SSL listener with {@code $ConnectionString} credentials, with no key, as Graph's own sender does.
 */
public final class HubWriter implements AutoCloseable {

    public static final String SUBSCRIPTION_ID = "7a9c1e3b-5d2f-4b6a-8c0e-1f2a3b4c5d6e";

    private final KafkaProducer<byte[], byte[]> producer;
    private final NotificationEncoder encoder;
    private final String topic;

    /** A writer of ready-made record values only, such as the fixtures. */
    public HubWriter(EmbeddedKafka kafka, String topic) {
        this(kafka, topic, null);
    }

    /** A writer that encrypts chat messages for the sandbox's Streams application, as Graph would. */
    public HubWriter(EmbeddedKafka kafka, String topic, StreamsSandbox streams) {
        Properties properties = kafka.eventHubClientProperties();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.encoder = streams == null ? null : new NotificationEncoder(streams.notificationKey().certificate(),
                streams.certificateId(), streams.clientState(), streams.tenantId());
        this.topic = topic;
    }

    public NotificationEncoder encoder() {
        if (encoder == null) {
            throw new IllegalStateException("This writer was made without the Streams settings it would encrypt for");
        }
        return encoder;
    }

    /** Encrypts the chat messages into one collection and sends it; the future completes once the hub has it. */
    public Future<RecordMetadata> sendMessages(List<byte[]> chatMessageJsons) {
        byte[] collection = encoder().collection(SUBSCRIPTION_ID, Instant.now().plusSeconds(3 * 24 * 3600),
                chatMessageJsons);
        return send(collection);
    }

    public Future<RecordMetadata> send(byte[] recordValue) {
        return producer.send(new ProducerRecord<>(topic, null, recordValue));
    }

    public RecordMetadata sendAndWait(byte[] recordValue) throws InterruptedException {
        try {
            return send(recordValue).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The hub refused a record: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
