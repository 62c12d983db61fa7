package com.teamsemergency.benchmarks.endtoend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import com.teamsemergency.sandbox.pipeline.SandboxTopics;

/**
 * How far the Streams application's consumer group is behind: on the hub topic it reads, and on its own repartition
 * topic (the second half of the topology), from committed offsets against the last stable offsets.
 */
final class ConsumerLag {

    /** The repartition topic's name as Kafka Streams derives it from the topology's {@code messages-by-chat}. */
    static final String REPARTITION_SUFFIX = "-messages-by-chat-repartition";

    private final Admin admin;
    private final String applicationId;
    private final List<TopicPartition> source;
    private final List<TopicPartition> repartition;

    ConsumerLag(Admin admin, String applicationId, String sourceTopic) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.source = partitions(sourceTopic);
        this.repartition = partitions(applicationId + REPARTITION_SUFFIX);
    }

    private static List<TopicPartition> partitions(String topic) {
        return java.util.stream.IntStream.range(0, SandboxTopics.PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** The lag and the committed total, both on the hub topic and on the repartition topic. */
    record Sample(long sourceLag, long sourceCommitted, long repartitionLag, long nanos) {

        /**
         * Caught up: nothing left on the hub topic, and at most one offset per partition on the repartition topic,
         * where the last offset may be a transaction marker that no consumer ever commits past.
         */
        boolean caughtUp() {
            return sourceLag == 0 && repartitionLag <= SandboxTopics.PARTITIONS;
        }

        long total() {
            return sourceLag + repartitionLag;
        }
    }

    Sample sample() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            source.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            repartition.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            long sourceLag = 0;
            long sourceCommitted = 0;
            for (TopicPartition tp : source) {
                long done = committed.containsKey(tp) && committed.get(tp) != null ? committed.get(tp).offset() : 0;
                sourceCommitted += done;
                sourceLag += Math.max(0, ends.get(tp).offset() - done);
            }
            long repartitionLag = 0;
            for (TopicPartition tp : repartition) {
                long done = committed.containsKey(tp) && committed.get(tp) != null ? committed.get(tp).offset() : 0;
                repartitionLag += ends.containsKey(tp) ? Math.max(0, ends.get(tp).offset() - done) : 0;
            }
            return new Sample(sourceLag, sourceCommitted, repartitionLag, System.nanoTime());
        } catch (ExecutionException | TimeoutException e) {
            // The repartition topic does not exist until the application has started; report "unknown".
            return new Sample(Long.MAX_VALUE / 4, 0, Long.MAX_VALUE / 4, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the consumer lag", e);
        }
    }
}
