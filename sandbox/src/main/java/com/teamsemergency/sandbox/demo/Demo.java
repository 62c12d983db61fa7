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
import com.teamsemergency.sandbox.graph.GraphEmulator;
import com.teamsemergency.sandbox.graphside.GraphSide;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.pipeline.SandboxTopics;
import com.teamsemergency.sandbox.pipeline.StreamsSandbox;
import com.teamsemergency.streams.AlertsApplication;
import com.teamsemergency.streams.AlertsService;
import com.teamsemergency.streams.cli.Main;
import com.teamsemergency.streams.topology.AlertTopology;

import io.cloudevents.CloudEvent;

/**
 * {@code ./emergency-alerts demo}: the whole product on this machine, with no Microsoft service. A real Kafka broker
 * with an Event-Hubs-style listener; the Graph connector on a real Connect worker, signing in to the Entra ID
 * emulator and subscribing in the Graph emulator; the Streams application reading the hub as it would read Azure.
 * A 911 call becomes an alert through Graph's notification, then a 933 call whose notification Graph drops becomes
 * one through the connector's reconciliation; both are printed as the security desk would read them.
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(90);
    /** Entra object ids of the callers, as the sample location table (demo/user-locations.csv) knows them. */
    private static final String DANA_ID = "7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f";
    private static final String SAM_ID = "2b6f0c4e-8a1d-4e3b-9f70-5c2d1e0a9b88";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (List.of(args).contains("--help")) {
            out.println("usage: emergency-alerts demo [--keep-running]");
            return;
        }
        boolean keepRunning = List.of(args).contains("--keep-running");
        Path workDir = Files.createTempDirectory("emergency-alerts-demo");
        // Ctrl-C or a kill ends the JVM without unwinding main: the hook still takes the run's keys and secrets away.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                deleteRecursively(workDir);
            } catch (IOException e) {
                System.err.println("Could not delete " + workDir + ": " + e.getMessage());
            }
        }, "demo-cleanup"));
        run(keepRunning, out, workDir);
        out.println("Demo finished.");
    }

    private static void run(boolean keepRunning, PrintStream out, Path workDir) throws Exception {
        out.println("1. Kafka (KRaft) with an Event-Hubs-style SASL_SSL listener, on 127.0.0.1");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDir(workDir.resolve("kafka")))) {
            SandboxTopics.createAll(kafka);
            out.println("   broker " + kafka.bootstrapServers() + " (plain), " + kafka.eventHubBootstrapServers()
                    + " (SASL_SSL, user $ConnectionString: the Event Hub)");

            out.println("2. Entra ID and Graph emulators (HTTPS), a Connect worker, and the Graph connector deployed "
                    + "with PUT /connectors/{name}/config");
            try (GraphSide graphSide = GraphSide.start(kafka, workDir.resolve("graph"),
                    GraphSide.Options.defaults().withApproveSignIn(false))) {
                StreamsSandbox settings = StreamsSandbox.create(kafka, workDir.resolve("streams"),
                        "teams-emergency-alerts-demo", Map.of(), graphSide.notificationKey(),
                        graphSide.certificateId(), graphSide.clientState(), graphSide.entra().tenantId());
                signIn(graphSide, settings, out);
                importLocations(settings, workDir, out);

                out.println("5. The Streams application, reading the Event Hub through SASL_SSL");
                try (AlertsService service = AlertsService.start(new AlertsApplication(settings.config()));
                     KafkaConsumer<String, CloudEvent> alerts = alertConsumer(kafka)) {
                    service.awaitRunning(Duration.ofSeconds(60));
                    AlertPrinter printer = new AlertPrinter(out);

                    out.println("6. Dana Whitfield dials 911 in Teams. Teams posts the message in the security desk's "
                            + "chat; Graph writes the encrypted notification into the Event Hub");
                    long called = System.nanoTime();
                    graphSide.graph().simulateEmergencyCall(DANA_ID, "Dana Whitfield", null, "911",
                            "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US", "+1 217 555 0142");
                    show(awaitAlert(alerts), printer, called, out);

                    out.println("7. Graph drops the next notification, as it is known to do. Sam Okafor dials 933 "
                            + "(the test number); the connector's reconciliation finds the message instead (every 10 s "
                            + "here; every 60 s by default)");
                    graphSide.graph().dropNotifications(true);
                    called = System.nanoTime();
                    graphSide.graph().simulateEmergencyCall(SAM_ID, "Sam Okafor", null, "933",
                            "Building 1, Floor 1, Reception, 500 Example Ave, Springfield, IL 62701, US",
                            "+1 217 555 0100");
                    show(awaitAlert(alerts), printer, called, out);
                    graphSide.graph().dropNotifications(false);

                    if (keepRunning) {
                        out.println("Running until Ctrl-C; broker " + kafka.bootstrapServers() + ". Alerts appear "
                                + "below.");
                        printAlertsForever(alerts, out);
                    }
                }
            }
        }
    }

    /** Shows the connector's prompt as an operator sees it, then answers it as the service user would. */
    private static void signIn(GraphSide graphSide, StreamsSandbox settings, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (graphSide.entra().pendingSignIns().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        out.println("3. The connector needs the service user to sign in. `emergency-alerts connector-status` shows:");
        out.println();
        Main.run(new String[] {"--config", settings.propertiesFile().toString(), "connector-status"}, out, System.err);
        String code = graphSide.approvePendingSignIn(Duration.ofSeconds(60));
        GraphEmulator.Subscription subscription = graphSide.awaitSubscription(s -> true, Duration.ofSeconds(60));
        out.println("   The sandbox entered " + code + " at that address as the service user would; signed in. The "
                + "connector created subscription "
                + subscription.id() + " on " + subscription.resource() + ", expiring " + subscription.expiresAt()
                + ", with resource data encrypted to certificate " + subscription.encryptionCertificateId());
    }

    private static void show(ConsumerRecord<String, CloudEvent> alert, AlertPrinter printer, long calledNanos,
                             PrintStream out) throws IOException {
        long millis = (System.nanoTime() - calledNanos) / 1_000_000;
        out.println();
        printer.print(Json.mapper().readTree(alert.value().getData().toBytes()));
        out.println("CloudEvent " + alert.value().getType() + ", id " + alert.value().getId());
        out.println("From the call in the Graph emulator to the alert: " + millis + " ms");
        out.println();
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
        out.println("4. Sample user locations: `emergency-alerts locations import`");
        int code = Main.run(new String[] {"--config",
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
