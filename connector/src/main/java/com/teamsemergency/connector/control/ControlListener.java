package com.teamsemergency.connector.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the control topic without a consumer group, from the records written since the task started: what was
 * written while the task was down is covered by the renewal and reconciliation that every start does anyway. Used by
 * the task's background thread.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlListener.class);

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private boolean assigned;
    private int unreachable;

    private final long startedAtMs = System.currentTimeMillis();

    // TODO(more than one connector instance sharing a control topic at high volume): filter by key (subscription id)
    //  on a consumer group of the connector's own instead of every task reading every partition.
    public ControlListener(Map<String, Object> settings, String topic) {
        Map<String, Object> props = new HashMap<>(settings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "graph-chat-control");
        this.consumer = new KafkaConsumer<>(props);
        this.topic = topic;
    }

    /** Waits up to {@code timeout} for control records; an empty list when the topic does not exist yet. */
    public List<ControlAction> poll(Duration timeout) {
        List<ControlAction> actions = new ArrayList<>();
        try {
            if (!assigned && !assign()) {
                Thread.sleep(timeout.toMillis());
                return actions;
            }
            for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
                List<ControlAction> parsed = ControlRecords.parse(record.value());
                log.debug("Control record at {}-{}@{} gave {}", record.topic(), record.partition(), record.offset(),
                        parsed);
                actions.addAll(parsed);
            }
        } catch (WakeupException e) {
            // stop() woke the consumer; the loop sees that it must end.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return actions;
    }

    private boolean assign() {
        List<org.apache.kafka.common.PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (++unreachable % 60 == 1) {
                log.warn("Control topic {} is not reachable (attempt {}: {}); retrying", topic, unreachable,
                        e.getMessage());
            }
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            if (++unreachable % 60 == 1) {
                log.warn("Control topic {} does not exist (attempt {}); lifecycle events wait until it does", topic,
                        unreachable);
            }
            return false;
        }
        List<TopicPartition> assignment = new ArrayList<>();
        partitions.forEach(p -> assignment.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(assignment);
        // End offsets first: a record written while the start offsets are looked up is then never skipped.
        Map<TopicPartition, Long> ends = consumer.endOffsets(assignment, Duration.ofSeconds(10));
        Map<TopicPartition, Long> since = new HashMap<>();
        assignment.forEach(p -> since.put(p, startedAtMs));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since, Duration.ofSeconds(10));
        for (TopicPartition partition : assignment) {
            OffsetAndTimestamp offset = found.get(partition);
            long end = ends.getOrDefault(partition, 0L);
            consumer.seek(partition, offset == null ? end : Math.min(offset.offset(), end));
        }
        assigned = true;
        log.info("Reading control topic {} ({} partitions) from the task's start", topic, assignment.size());
        return true;
    }

    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
