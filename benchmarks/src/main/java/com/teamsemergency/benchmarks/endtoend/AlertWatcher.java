package com.teamsemergency.benchmarks.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.pipeline.SandboxTopics;

/**
 * The security desk's side: a {@code read_committed} consumer of the alert topic that notes, for each emergency
 * message id, when each of its call alerts (update 0) arrived, so that latencies, losses and duplicates can be read.
 */
final class AlertWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private volatile boolean running = true;

    private AlertWatcher(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::pollLoop, "alert-watcher");
        this.thread.setDaemon(true);
    }

    /** Reads every partition of the topic from its beginning, without a consumer group (no rebalance to wait for). */
    static AlertWatcher start(EmbeddedKafka kafka, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // Exactly-once output is only exactly once for a reader that skips aborted transactions.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = java.util.stream.IntStream.range(0, SandboxTopics.PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        AlertWatcher watcher = new AlertWatcher(consumer);
        watcher.thread.start();
        return watcher;
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    records.incrementAndGet();
                    note(record.value(), now);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void note(byte[] cloudEvent, long arrivedNanos) {
        try {
            // Structured or binary mode: the sandbox's serializer writes the event's data as the record value.
            JsonNode alert = Json.mapper().readTree(cloudEvent);
            if (alert.has("data") && alert.get("data").isObject()) {
                alert = alert.get("data");
            }
            if (alert.path("updateCount").asInt(-1) != 0) {
                return;
            }
            String messageId = alert.path("messageId").asText(null);
            if (messageId != null) {
                arrivals.computeIfAbsent(messageId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(arrivedNanos);
            }
        } catch (IOException e) {
            log.warn("An alert that is not JSON: {}", e.getMessage());
        }
    }

    /** When each message id's call alert arrived (System.nanoTime); more than one entry is a duplicate. */
    Map<String, List<Long>> arrivals() {
        return arrivals;
    }

    long records() {
        return records.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
