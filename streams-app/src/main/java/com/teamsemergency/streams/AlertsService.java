package com.teamsemergency.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
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

    /** More thread failures than this within {@link #FAILURE_WINDOW} stop the client: a supervisor must look. */
    private static final int MAX_THREAD_FAILURES = 5;
    private static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

    private final KafkaStreams streams;
    private final ScheduledExecutorService reporter;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Deque<Long> threadFailures = new ArrayDeque<>();
    private volatile boolean failed;

    private AlertsService(KafkaStreams streams, ScheduledExecutorService reporter) {
        this.streams = streams;
        this.reporter = reporter;
    }

    public static AlertsService start(AlertsApplication application) {
        AlertsConfig config = application.config();
        String bootstrapServers = config.bootstrapServers();
        Properties properties = config.streamsProperties();
        log.info("Starting {} on {} with certificates {} ({})", properties.get(StreamsConfig.APPLICATION_ID_CONFIG),
                bootstrapServers, application.keys().certificateIds(),
                properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        log.debug("Settings: {}", config.redacted());
        if (config.bool(AlertsConfig.TOPICS_CREATE)) {
            createTopics(config, properties);
        }

        Topology topology = application.topology();
        log.debug("Topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, properties);
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "emergency-alerts-report");
            thread.setDaemon(true);
            return thread;
        });
        AlertsService service = new AlertsService(streams, reporter);
        streams.setUncaughtExceptionHandler(service::onThreadFailure);
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.ERROR) {
                service.failed = true;
            }
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                service.stopped.countDown();
            }
        });
        streams.start();
        reporter.scheduleAtFixedRate(() -> log.info("Processed so far: {}", application.counters().snapshot()),
                REPORT_INTERVAL.toSeconds(), REPORT_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return service;
    }

    /**
     * A stream thread that dies would leave its partitions unread, so it is replaced; records the topology cannot
     * process are dead letters before they get here, so this is the environment (broker, disk) or a bug. If threads
     * keep dying, the client stops, so that {@code run} exits with an error and a supervisor restarts or alerts.
     */
    private synchronized StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onThreadFailure(
            Throwable exception) {
        long now = System.currentTimeMillis();
        threadFailures.addLast(now);
        while (!threadFailures.isEmpty() && threadFailures.peekFirst() < now - FAILURE_WINDOW.toMillis()) {
            threadFailures.removeFirst();
        }
        if (threadFailures.size() > MAX_THREAD_FAILURES) {
            log.error("Stream threads failed {} times within {}; stopping", threadFailures.size(), FAILURE_WINDOW,
                    exception);
            failed = true;
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("A stream thread failed (failure {} within {}); replacing it", threadFailures.size(),
                FAILURE_WINDOW, exception);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Blocks until Kafka Streams has stopped, by {@link #close()} or by failing. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
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
