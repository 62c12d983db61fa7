package com.teamsemergency.sandbox.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;

/** Reads the alert topic as Call Telemetry would, committed records only, and keeps each alert's data. */
final class AlertCollector implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<JsonNode> alerts = new ArrayList<>();

    AlertCollector(EmbeddedKafka kafka, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "alert-collector-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls until {@code done} holds for the alerts so far, or the timeout passes; returns them all. */
    List<JsonNode> awaitUntil(Predicate<List<JsonNode>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(alerts) && System.nanoTime() < deadline) {
            pollOnce(Duration.ofMillis(200));
        }
        return List.copyOf(alerts);
    }

    /** Keeps polling for {@code duration}, to catch what should not come (a duplicate). */
    List<JsonNode> drainFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            pollOnce(Duration.ofMillis(200));
        }
        return List.copyOf(alerts);
    }

    private void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            try {
                alerts.add(Json.mapper().readTree(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException("An alert whose value is not JSON", e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
