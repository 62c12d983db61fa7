package com.teamsemergency.sandbox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.fixtures.Fixtures;
import com.teamsemergency.sandbox.graph.encoding.NotificationEncoder;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.streams.AlertsApplication;
import com.teamsemergency.streams.AlertsService;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * The Streams application on a real broker, reading the hub through the Event-Hubs-style SASL_SSL listener: the
 * fixture's 911 call (encrypted by an encoder independent of this project) becomes one alert, and garbage a dead
 * letter, with Graph's at-least-once redelivery merged away.
 */
class AlertPipelineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;

    private static EmbeddedKafka kafka;
    private static AlertsService service;

    @BeforeAll
    static void startPipeline() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(workDir.resolve("kafka")));
        SandboxTopics.createAll(kafka);
        StreamsSandbox settings = StreamsSandbox.create(kafka, workDir.resolve("streams"), "pipeline-it", Map.of(
                AlertsConfig.CLIENT_STATE, Fixtures.CLIENT_STATE,
                AlertsConfig.TENANT_ID, Fixtures.TENANT_ID,
                AlertsConfig.KEYSTORE_PATH, Fixtures.keystorePath().toString(),
                AlertsConfig.KEYSTORE_PASSWORD, Fixtures.KEYSTORE_PASSWORD), null);
        service = AlertsService.start(new AlertsApplication(settings.config()));
        service.awaitRunning(TIMEOUT);
    }

    @AfterAll
    static void stopPipeline() {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void turnsTheFixtureCallReadThroughSaslSslIntoOneAlertAndGarbageIntoADeadLetter() throws Exception {
        try (HubWriter hub = new HubWriter(kafka, SandboxTopics.NOTIFICATIONS);
             AlertCollector alerts = new AlertCollector(kafka, SandboxTopics.ALERTS)) {
            hub.sendAndWait(Fixtures.read("eventhub/not-json.txt"));
            hub.sendAndWait(Fixtures.read("eventhub/emergency-call.json"));
            hub.sendAndWait(Fixtures.read("eventhub/emergency-call.json"));
            hub.sendAndWait(Fixtures.read("eventhub/mixed-batch.json"));

            List<JsonNode> received = alerts.awaitUntil(list -> !list.isEmpty(), TIMEOUT);
            received = alerts.drainFor(Duration.ofSeconds(2));

            assertEquals(1, received.size(), "one alert for one call delivered three times: " + received);
            JsonNode alert = received.get(0);
            assertEquals("911", alert.get("dialedNumber").asText());
            assertEquals("Dana Whitfield", alert.at("/caller/name").asText());
            assertEquals("+1 217 555 0142", alert.at("/caller/callbackNumber").asText());
            assertEquals("1796396531000", alert.get("messageId").asText());
        }

        ConsumerRecord<byte[], byte[]> letter = firstRecord(SandboxTopics.DEAD_LETTERS);
        assertEquals("not-json", new String(letter.headers().lastHeader("dead-letter.reason").value(),
                StandardCharsets.UTF_8));
        assertTrue(new String(letter.value(), StandardCharsets.UTF_8).equals(
                new String(Fixtures.read("eventhub/not-json.txt"), StandardCharsets.UTF_8)), "original bytes kept");
    }

    @Test
    void keepsAlertingAfterARecordTooLargeToCopyIntoTheDeadLetters() throws Exception {
        byte[] junk = new byte[1_040_000];
        java.util.Arrays.fill(junk, (byte) '#');
        try (HubWriter hub = new HubWriter(kafka, SandboxTopics.NOTIFICATIONS);
             AlertCollector alerts = new AlertCollector(kafka, SandboxTopics.ALERTS)) {
            hub.sendAndWait(junk);
            hub.sendAndWait(fixtureEncoder().collection("0c7e9d4b-2f61-4b8a-9e35-7a1c2d3e4f50",
                    java.time.Instant.now().plusSeconds(3600), List.of(ChatMessages.emergencyCall(
                            "19:after-junk@thread.v2", "1796396999000", "u-9", "Ravi Patel", "112", "Hall B", null))));

            List<JsonNode> received = alerts.awaitUntil(list -> list.stream()
                    .anyMatch(a -> a.get("messageId").asText().equals("1796396999000")), TIMEOUT);
            assertTrue(received.stream().anyMatch(a -> a.get("messageId").asText().equals("1796396999000")),
                    "the call after the junk was alerted: " + received);
        }
        ConsumerRecord<byte[], byte[]> letter = recordWithHeader(SandboxTopics.DEAD_LETTERS,
                "dead-letter.value.omitted-bytes");
        assertEquals("1040000", new String(letter.headers().lastHeader("dead-letter.value.omitted-bytes").value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void skipsAnUnreadableLocationWithoutStoppingTheTable() throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(properties,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(SandboxTopics.USER_LOCATIONS,
                    "u-broken", "{not a location".getBytes(StandardCharsets.UTF_8))).get();
        }
        Thread.sleep(2_000);

        assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, service.streams().state(),
                "the location table's thread survives an unreadable row");
    }

    /** Encrypts as Graph would, to the fixture's certificate, with the fixture's client state and tenant. */
    private static NotificationEncoder fixtureEncoder() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(Fixtures.keystorePath())) {
            keystore.load(in, Fixtures.KEYSTORE_PASSWORD.toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keystore.getCertificate(Fixtures.CERTIFICATE_ID);
        return new NotificationEncoder(certificate, Fixtures.CERTIFICATE_ID, Fixtures.CLIENT_STATE, Fixtures.TENANT_ID);
    }

    private static ConsumerRecord<byte[], byte[]> firstRecord(String topic) {
        return recordWithHeader(topic, null);
    }

    private static ConsumerRecord<byte[], byte[]> recordWithHeader(String topic, String header) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-reader-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (header == null || record.headers().lastHeader(header) != null) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("Nothing on " + topic + " within " + TIMEOUT);
    }
}
