package com.teamsemergency.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.streams.config.AlertsConfig;

/**
 * The running service: Kafka Streams over the alert topology, with the topics created if asked, a thread that
 * dies replaced rather than left dead, and a periodic count of what was done.
 */
public final class AlertsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsService.class);
    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final ScheduledExecutorService reporter;
    private volatile boolean failed;

    private AlertsService(KafkaStreams streams, ScheduledExecutorService reporter) {
        this.streams = streams;
        this.reporter = reporter;
    }

    public static AlertsService start(AlertsApplication application) {
        AlertsConfig config = application.config();
        config.get(AlertsConfig.KAFKA_PREFIX + "bootstrap.servers");
        Properties properties = config.streamsProperties();
        log.info("Starting {} with certificates {} ({})", properties.get(StreamsConfig.APPLICATION_ID_CONFIG),
                application.keys().certificateIds(), properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        if (config.bool(AlertsConfig.TOPICS_CREATE)) {
            createTopics(config, properties);
        }

        Topology topology = application.topology(Clock.systemUTC());
        log.debug("Topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, properties);
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "emergency-alerts-report");
            thread.setDaemon(true);
            return thread;
        });
        AlertsService service = new AlertsService(streams, reporter);
        streams.setUncaughtExceptionHandler(exception -> {
            // A stream thread that dies would leave its partitions unread: replace it. Records that cannot be
            // processed are dead letters before they get here, so what reaches this is the environment's fault.
            log.error("A stream thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.ERROR) {
                service.failed = true;
            }
        });
        streams.start();
        reporter.scheduleAtFixedRate(() -> log.info("Processed so far: {}", application.counters().snapshot()),
                REPORT_INTERVAL.toSeconds(), REPORT_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return service;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean failed() {
        return failed;
    }

    /** Waits until the service is processing, or fails if it has not started within {@code timeout}. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("Kafka Streams is " + streams.state() + " after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        streams.close(CLOSE_TIMEOUT);
        log.info("Stopped");
    }

    private static void createTopics(AlertsConfig config, Properties streamsProperties) {
        int partitions = config.integer(AlertsConfig.TOPICS_PARTITIONS);
        short replication = (short) config.integer(AlertsConfig.TOPICS_REPLICATION);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> topics = List.of(
                new NewTopic(config.get(AlertsConfig.TOPIC_NOTIFICATIONS), partitions, replication),
                new NewTopic(config.get(AlertsConfig.TOPIC_CHAT_MESSAGES), partitions, replication),
                new NewTopic(config.get(AlertsConfig.TOPIC_USER_LOCATIONS), partitions, replication).configs(compacted),
                new NewTopic(config.get(AlertsConfig.TOPIC_ALERTS), partitions, replication),
                new NewTopic(config.get(AlertsConfig.TOPIC_DEAD_LETTERS), partitions, replication),
                new NewTopic(config.get(AlertsConfig.TOPIC_GRAPH_CONTROL), partitions, replication));
        Properties adminProperties = new Properties();
        adminProperties.putAll(config.withPrefix(AlertsConfig.KAFKA_PREFIX));
        adminProperties.keySet().removeIf(key -> !org.apache.kafka.clients.admin.AdminClientConfig.configNames()
                .contains(key.toString()));
        try (Admin admin = Admin.create(adminProperties)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    log.info("Created topic {}", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
