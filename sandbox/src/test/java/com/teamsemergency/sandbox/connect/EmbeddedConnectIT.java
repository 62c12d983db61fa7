package com.teamsemergency.sandbox.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.teamsemergency.sandbox.connect.EmbeddedConnect.ConnectRestException;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.kafka.ListeningSockets;

/** Drives one in-process Connect worker over its REST interface, against one in-process broker. */
class EmbeddedConnectIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafka kafka;
    private static EmbeddedConnect connect;

    @TempDir
    static Path secrets;

    @BeforeAll
    static void startWorker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        connect = EmbeddedConnect.start(kafka.bootstrapServers(), Map.of("group.id", "it-connect"));
        System.out.printf("EmbeddedKafka start-up: %d ms, EmbeddedConnect start-up: %d ms%n",
                kafka.startupTime().toMillis(), connect.startupTime().toMillis());
    }

    @AfterAll
    static void stopWorker() {
        if (connect != null) {
            connect.close();
            connect.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void listsMirrorSourceConnectorAmongPlugins() throws Exception {
        JsonNode plugins = JSON.readTree(connect.getJson("/connector-plugins"));
        List<String> classes = new ArrayList<>();
        plugins.forEach(plugin -> classes.add(plugin.path("class").asText()));
        assertTrue(classes.contains("org.apache.kafka.connect.mirror.MirrorSourceConnector"),
                () -> "plugins: " + classes);
    }

    @Test
    void reportsTheWorkersErrorWhenConfigIsBad() {
        ConnectRestException e = assertThrows(ConnectRestException.class,
                () -> connect.putConnectorConfig("bad", Map.of("connector.class", "com.example.NoSuchConnector")));
        assertTrue(e.statusCode() >= 400 && e.statusCode() < 500, () -> "status " + e.statusCode());
        assertTrue(e.body().contains("com.example.NoSuchConnector"), () -> "body: " + e.body());
        assertTrue(e.getMessage().contains(e.body()));
    }

    @Test
    void statusOfUnknownConnectorIsNotFound() {
        ConnectRestException e = assertThrows(ConnectRestException.class,
                () -> connect.connectorStatusJson("never-created"));
        assertEquals(404, e.statusCode());
    }

    @Test
    void mirrorsEventHubTopicOverSaslSslWithSecretsFromFileConfigProvider() throws Exception {
        String topic = "graph-notifications-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(topic, 1, Map.of());
        byte[] value = "{\"value\":[{\"changeType\":\"created\"}]}".getBytes(StandardCharsets.UTF_8);
        Properties producerProps = kafka.eventHubClientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            producer.send(new ProducerRecord<>(topic, null, value)).get();
        }

        // The connector sees the secrets only as ${file:...} references, as in a real deployment.
        Properties eventHub = kafka.eventHubClientProperties();
        Path secretsFile = secrets.resolve("eventhub.properties");
        Properties secretValues = new Properties();
        secretValues.put("jaas", eventHub.getProperty(SaslConfigs.SASL_JAAS_CONFIG));
        secretValues.put("truststore.password", eventHub.getProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG));
        try (var out = Files.newOutputStream(secretsFile)) {
            secretValues.store(out, null);
        }
        String reference = "${file:" + secretsFile + ":";

        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
        config.put("tasks.max", "1");
        config.put("source.cluster.alias", "eventhub");
        config.put("target.cluster.alias", "local");
        config.put("topics", topic);
        config.put("source.cluster.bootstrap.servers", kafka.eventHubBootstrapServers());
        config.put("source.cluster.security.protocol", "SASL_SSL");
        config.put("source.cluster.sasl.mechanism", "PLAIN");
        config.put("source.cluster.sasl.jaas.config", reference + "jaas}");
        config.put("source.cluster.ssl.truststore.location", kafka.truststore().toString());
        config.put("source.cluster.ssl.truststore.password", reference + "truststore.password}");
        config.put("source.cluster.ssl.truststore.type", "PKCS12");
        config.put("target.cluster.bootstrap.servers", kafka.bootstrapServers());
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("replication.factor", "1");
        config.put("offset-syncs.topic.replication.factor", "1");
        config.put("offset-syncs.topic.location", "target");
        config.put("sync.topic.acls.enabled", "false");
        config.put("refresh.topics.interval.seconds", "1");
        connect.putConnectorConfig("mirror", config);
        connect.awaitConnectorRunning("mirror", Duration.ofSeconds(60));

        assertTrue(connect.connectorStatusJson("mirror").contains("RUNNING"));
        List<ConsumerRecord<byte[], byte[]>> mirrored = consume("eventhub." + topic, 1);
        assertEquals(1, mirrored.size());
        assertEquals(new String(value, StandardCharsets.UTF_8),
                new String(mirrored.get(0).value(), StandardCharsets.UTF_8));

        connect.restartConnector("mirror", true);
        connect.awaitConnectorRunning("mirror", Duration.ofSeconds(60));
        connect.deleteConnector("mirror");
        connect.deleteConnector("mirror");
        assertEquals(404, assertThrows(ConnectRestException.class,
                () -> connect.connectorStatusJson("mirror")).statusCode());
    }

    @Test
    void servesRestOnLoopbackOnly() throws Exception {
        assertEquals("127.0.0.1", connect.restUrl().getHost());
        assumeTrue(ListeningSockets.available(), "needs Linux /proc to list this JVM's sockets");
        List<ListeningSockets.Listener> sockets = ListeningSockets.ofThisProcess();
        assertTrue(sockets.stream().anyMatch(socket -> socket.port() == connect.restUrl().getPort()),
                () -> "REST port not among " + sockets);
        for (ListeningSockets.Listener socket : sockets) {
            assertTrue(socket.isLoopback(), () -> "listening beyond loopback: " + socket);
        }
        for (InetAddress address : ListeningSockets.nonLoopbackAddresses()) {
            for (ListeningSockets.Listener socket : sockets) {
                assertFalse(ListeningSockets.accepts(address, socket.port()),
                        () -> "port " + socket.port() + " answers on " + address.getHostAddress());
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
