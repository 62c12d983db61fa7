package com.teamsemergency.sandbox.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.pipeline.ChatMessages;
import com.teamsemergency.sandbox.pipeline.HubWriter;
import com.teamsemergency.sandbox.pipeline.SandboxTopics;
import com.teamsemergency.sandbox.pipeline.StreamsSandbox;
import com.teamsemergency.streams.AlertsApplication;
import com.teamsemergency.streams.AlertsService;
import com.teamsemergency.streams.topology.AlertTopology;

import io.cloudevents.CloudEvent;

/**
 * {@code ./emergency-alerts demo}: the product on this machine with no Microsoft service. A real Kafka broker with
 * an Event-Hubs-style listener, the Streams application reading it as it would read Azure, sample user locations,
 * and Graph's encrypted notifications of a 911 call; the alert is printed as the security desk would read it.
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(60);
    private static final String CALLER_ID = "7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f";
    private static final String CALLER_NAME = "Dana Whitfield";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        boolean keepRunning = List.of(args).contains("--keep-running");
        PrintStream out = System.out;
        Path workDir = Files.createTempDirectory("emergency-alerts-demo");

        if (List.of(args).contains("--help")) {
            out.println("usage: emergency-alerts demo [--keep-running]");
            return;
        }
        if (keepRunning) {
            // Ctrl-C ends the JVM without unwinding main: the hook still takes the secrets away.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteRecursively(workDir);
                } catch (IOException e) {
                    System.err.println("Could not delete " + workDir + ": " + e.getMessage());
                }
            }, "demo-cleanup"));
        }
        try {
            run(keepRunning, out, workDir);
        } finally {
            deleteRecursively(workDir);
        }
        out.println("Demo finished.");
    }

    private static void run(boolean keepRunning, PrintStream out, Path workDir) throws Exception {
        out.println("Starting the sandbox: Kafka (KRaft) with an Event-Hubs-style SASL_SSL listener, on 127.0.0.1...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDir(workDir.resolve("kafka")))) {
            SandboxTopics.createAll(kafka);
            StreamsSandbox settings = StreamsSandbox.create(kafka, workDir.resolve("streams"),
                    "teams-emergency-alerts-demo", Map.of(), null);
            out.println("  broker        " + kafka.bootstrapServers() + " (plain), "
                    + kafka.eventHubBootstrapServers() + " (SASL_SSL, user $ConnectionString)");

            importLocations(settings, workDir, out);

            out.println("Starting the Streams application, reading the hub through SASL_SSL...");
            try (AlertsService service = AlertsService.start(new AlertsApplication(settings.config()));
                 KafkaConsumer<String, CloudEvent> alerts = alertConsumer(kafka);
                 HubWriter hub = new HubWriter(kafka, SandboxTopics.NOTIFICATIONS, settings)) {
                service.awaitRunning(Duration.ofSeconds(60));

                out.println("Graph writes the subscription's validation event and an ordinary chat message...");
                hub.sendAndWait(hub.encoder().validationEvent());
                hub.sendMessages(List.of(ChatMessages.ordinary("19:lunch@thread.v2", Long.toString(
                        System.currentTimeMillis()), CALLER_ID, CALLER_NAME, "Lunch at noon?"))).get();

                out.println("Dana Whitfield dials 911 in Teams; Graph writes the encrypted notification...");
                String chatId = "19:" + UUID.randomUUID().toString().replace("-", "") + "@thread.v2";
                long written = System.nanoTime();
                hub.sendMessages(List.of(ChatMessages.emergencyCall(chatId, Long.toString(System.currentTimeMillis()),
                        CALLER_ID, CALLER_NAME, "911",
                        "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US",
                        "+1 217 555 0142"))).get();

                ConsumerRecord<String, CloudEvent> alert = awaitAlert(alerts);
                long arrivedMillis = (System.nanoTime() - written) / 1_000_000;
                out.println();
                new AlertPrinter(out).print(Json.mapper().readTree(alert.value().getData().toBytes()));
                out.println("CloudEvent " + alert.value().getType() + ", id " + alert.value().getId());
                out.println("From the hub's acknowledgement of the record to the alert's arrival: " + arrivedMillis
                        + " ms");

                if (keepRunning) {
                    out.println();
                    out.println("Running until Ctrl-C. Write Graph-shaped records to " + SandboxTopics.NOTIFICATIONS
                            + " on " + kafka.bootstrapServers() + "; alerts appear below.");
                    printAlertsForever(alerts, out);
                }
            }
        }
    }

    /** The work folder holds the run's generated keys and secrets: nothing of it stays behind. */
    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void importLocations(StreamsSandbox settings, Path workDir, PrintStream out) throws IOException {
        Path csv = workDir.resolve("user-locations.csv");
        try (InputStream in = Demo.class.getResourceAsStream("/demo/user-locations.csv")) {
            Files.copy(in, csv);
        }
        out.println("Importing sample user locations (emergency-alerts locations import)...");
        int code = com.teamsemergency.streams.cli.Main.run(new String[] {"--config",
            settings.propertiesFile().toString(), "locations", "import", csv.toString()}, out, System.err);
        if (code != 0) {
            throw new IllegalStateException("The location import failed with exit code " + code);
        }
    }

    private static KafkaConsumer<String, CloudEvent> alertConsumer(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-security-desk");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Exactly-once output is only exactly once for consumers that skip aborted transactions.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                AlertTopology.cloudEventSerde().deserializer());
        consumer.subscribe(List.of(SandboxTopics.ALERTS));
        return consumer;
    }

    private static ConsumerRecord<String, CloudEvent> awaitAlert(KafkaConsumer<String, CloudEvent> alerts) {
        long deadline = System.nanoTime() + ALERT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CloudEvent> record : alerts.poll(Duration.ofMillis(100))) {
                return record;
            }
        }
        throw new IllegalStateException("No alert within " + ALERT_TIMEOUT.toSeconds() + " s; see the log above");
    }

    private static void printAlertsForever(KafkaConsumer<String, CloudEvent> alerts, PrintStream out) {
        AlertPrinter printer = new AlertPrinter(out);
        while (!Thread.currentThread().isInterrupted()) {
            for (ConsumerRecord<String, CloudEvent> record : alerts.poll(Duration.ofSeconds(1))) {
                try {
                    printer.print(Json.mapper().readTree(record.value().getData().toBytes()));
                    out.println("CloudEvent " + record.value().getType() + ", id " + record.value().getId());
                } catch (IOException e) {
                    log.warn("An alert whose data is not JSON: {}", e.getMessage());
                }
            }
        }
    }
}
