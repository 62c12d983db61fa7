package com.teamsemergency.sandbox.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercises one shared in-process broker the way the connector, MirrorMaker 2 and Kafka Streams will use it. */
class EmbeddedKafkaIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        System.out.printf("EmbeddedKafka start-up: %d ms%n", kafka.startupTime().toMillis());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void roundTripsRecordThroughEventHubListenerWithAzureStyleClientSettings() throws Exception {
        String topic = "graph-notifications-" + UUID.randomUUID();
        kafka.createTopic(topic, 2, Map.of());
        byte[] value = "{\"value\":[]}".getBytes(StandardCharsets.UTF_8);

        Properties producerProps = kafka.eventHubClientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
            producer.send(new ProducerRecord<>(topic, "key-1", value)).get();
        }

        Properties consumerProps = kafka.eventHubClientProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> received = consume(consumerProps, topic, 1);

        assertEquals(1, received.size());
        assertEquals("key-1", received.get(0).key());
        assertEquals(new String(value, StandardCharsets.UTF_8),
                new String(received.get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsWrongConnectionStringWithSaslAuthenticationException() {
        Properties props = kafka.eventHubClientProperties();
        props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"$ConnectionString\" password=\"Endpoint=sb://sandbox.servicebus.windows.net/;"
                + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=d3JvbmcK\";");
        Throwable failure = sendExpectingFailure(props);
        assertTrue(causedBy(failure, SaslAuthenticationException.class), () -> "unexpected failure: " + failure);
    }

    @Test
    void rejectsClientWithoutTruststoreWithSslAuthenticationException() {
        Properties props = kafka.eventHubClientProperties();
        props.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        props.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        props.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        Throwable failure = sendExpectingFailure(props);
        assertTrue(causedBy(failure, SslAuthenticationException.class), () -> "unexpected failure: " + failure);
    }

    @Test
    void acceptsLocalhostAsEventHubHostWithHostNameVerification() throws Exception {
        Properties props = kafka.eventHubClientProperties();
        props.put("bootstrap.servers", kafka.eventHubBootstrapServers().replace("127.0.0.1", "localhost"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        String topic = "localhost-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            assertEquals(0L, metadata.offset());
        }
    }

    @Test
    void rejectsRecordsLargerThanEventHubsLimit() {
        String topic = "large-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of());
        Properties props = kafka.eventHubClientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Let the producer send it, so that it is the broker that refuses, as Event Hubs would.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, "k", new byte[2 * 1024 * 1024])).get());
            assertTrue(causedBy(e, RecordTooLargeException.class), () -> "unexpected failure: " + e);
        }
    }

    @Test
    void commitsTransactionsAndHidesAbortedOnes() throws Exception {
        String topic = "transactions-" + UUID.randomUUID();
        kafka.createTopic(topic, 1, Map.of());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = consume(consumerProps, topic, 1);

        assertEquals(List.of("committed"), received.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void runsKafkaStreamsWithExactlyOnceV2(@TempDir Path stateDir) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String input = "streams-in-" + suffix;
        String output = "streams-out-" + suffix;
        kafka.createTopic(input, 1, Map.of());
        kafka.createTopic(output, 1, Map.of());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase(Locale.ROOT))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "it-eos-" + suffix);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
                producer.send(new ProducerRecord<>(input, "k", "emergency")).get();
            }
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<ConsumerRecord<String, String>> received = consume(consumerProps, output, 1);
            assertEquals(List.of("EMERGENCY"), received.stream().map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void createTopicIsIdempotent() throws Exception {
        String topic = "idempotent-" + UUID.randomUUID();
        kafka.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));
        assertEquals(3, kafka.admin().describeTopics(List.of(topic)).allTopicNames().get()
                .get(topic).partitions().size());
    }

    @Test
    void advertisesAndBindsEveryListenerOnLoopbackOnly() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        var config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker);
        String listeners = config.get("listeners").value();
        String advertised = config.get("advertised.listeners").value();
        assertNotNull(listeners);
        for (String listener : (listeners + "," + advertised).split(",")) {
            assertTrue(listener.contains("://127.0.0.1:"), () -> "listener not on loopback: " + listener);
        }

        assumeTrue(ListeningSockets.available(), "needs Linux /proc to list this JVM's sockets");
        List<ListeningSockets.Listener> sockets = ListeningSockets.ofThisProcess();
        assertTrue(sockets.size() >= 3, () -> "expected at least the broker's three listeners: " + sockets);
        for (ListeningSockets.Listener socket : sockets) {
            assertTrue(socket.isLoopback(), () -> "listening beyond loopback: " + socket);
        }
        List<Integer> ports = new ArrayList<>();
        sockets.forEach(socket -> ports.add(socket.port()));
        for (InetAddress address : ListeningSockets.nonLoopbackAddresses()) {
            for (int port : ports) {
                assertFalse(ListeningSockets.accepts(address, port),
                        () -> "port " + port + " answers on " + address.getHostAddress());
            }
        }
    }

    @Test
    void deletesItsTemporaryDirectoryOnCloseAndToleratesSecondClose() {
        EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        Path dir = second.dataDir();
        assertTrue(Files.isDirectory(dir));
        second.close();
        second.close();
        assertFalse(Files.exists(dir));
        System.out.printf("EmbeddedKafka warm start-up: %d ms%n", second.startupTime().toMillis());
    }

    @Test
    void keepsTopicsAcrossRestartsOnOtherPortsInAGivenDataDir(@TempDir Path dataDir) throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dataDir);
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            first.createTopic("survivor", 2, Map.of());
        }
        try (EmbeddedKafka second = EmbeddedKafka.start(options)) {
            assertTrue(second.admin().listTopics().names().get().contains("survivor"));
        }
        assertTrue(Files.isDirectory(dataDir.resolve("kraft")), "a given data directory is kept");
    }

    @Test
    void failsWithTheBindErrorWhenAGivenPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPlainPort(taken.getLocalPort());
            RuntimeException e = assertThrows(RuntimeException.class, () -> EmbeddedKafka.start(options));
            String bindFailure = "failed to bind to 127.0.0.1:" + taken.getLocalPort();
            boolean named = false;
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                named |= String.valueOf(cause.getMessage()).contains(bindFailure);
            }
            assertTrue(named, () -> "failure does not name the taken port: " + e);
        }
    }

    private static Throwable sendExpectingFailure(Properties props) {
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            return assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>("never-written", "k", "v")).get());
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static <K, V> List<ConsumerRecord<K, V>> consume(Properties props, String topic, int expected) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more poll, so that a record that should not be there has its chance to show up.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
