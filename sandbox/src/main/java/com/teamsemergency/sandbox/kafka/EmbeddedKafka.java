package com.teamsemergency.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * Runs a one-node Kafka cluster (KRaft broker and controller) inside this JVM, listening on 127.0.0.1 only, with a
 * plain listener for local clients and a SASL_SSL listener that accepts clients configured as for Azure Event Hubs.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The user name every Event Hubs Kafka client sends; the password is the namespace's connection string. */
    public static final String EVENT_HUB_USER = "$ConnectionString";
    /** Event Hubs rejects records larger than 1 MB. */
    public static final int EVENT_HUB_MESSAGE_MAX_BYTES = 1024 * 1024;

    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int MAX_START_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Made once per JVM: keytool takes one to two seconds, more than the rest of a warm start. */
    private static SelfSignedCertificate sharedCertificate;
    /** How Kafka's socket server reports a port it could not bind, e.g. "failed to bind to 127.0.0.1:9092". */
    private static final Pattern BIND_FAILURE = Pattern.compile("failed to bind to [^\\s:]+:(\\d+)");

    private final Path root;
    private final boolean ownsRoot;
    private final KafkaRaftServer server;
    private final SelfSignedCertificate certificate;
    private final String connectionString;
    private final int plainPort;
    private final int eventHubPort;
    private final Admin admin;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * How to start the broker; {@link #defaults()} and the withers build one.
     *
     * @param dataDir where the log lives; {@code null} for a temporary directory deleted on close
     * @param eventHubConnectionString the connection string the SASL_SSL listener accepts as password; {@code null}
     *                                 for a fake one with a random key
     * @param plainPort the PLAINTEXT port, 0 for a free one
     * @param eventHubPort the SASL_SSL port, 0 for a free one
     * @param messageMaxBytes the broker's {@code message.max.bytes}, 0 or less for Event Hubs' 1 MB
     * @param brokerProperties further broker properties, applied last
     */
    public record Options(Path dataDir, String eventHubConnectionString, int plainPort, int eventHubPort,
                          int messageMaxBytes, Map<String, String> brokerProperties) {

        public Options {
            if (eventHubConnectionString == null) {
                eventHubConnectionString = fakeConnectionString();
            }
            if (eventHubConnectionString.indexOf('"') >= 0 || eventHubConnectionString.indexOf('\\') >= 0) {
                // The string ends up inside a quoted JAAS option, where these two would need escaping.
                throw new IllegalArgumentException("connection string must not contain '\"' or '\\'");
            }
            checkPort(plainPort);
            checkPort(eventHubPort);
            if (messageMaxBytes <= 0) {
                messageMaxBytes = EVENT_HUB_MESSAGE_MAX_BYTES;
            }
            brokerProperties = brokerProperties == null ? Map.of() : Map.copyOf(brokerProperties);
        }

        public static Options defaults() {
            return new Options(null, null, 0, 0, 0, Map.of());
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, eventHubConnectionString, plainPort, eventHubPort, messageMaxBytes,
                    brokerProperties);
        }

        public Options withEventHubConnectionString(String connectionString) {
            return new Options(dataDir, connectionString, plainPort, eventHubPort, messageMaxBytes, brokerProperties);
        }

        public Options withPlainPort(int port) {
            return new Options(dataDir, eventHubConnectionString, port, eventHubPort, messageMaxBytes,
                    brokerProperties);
        }

        public Options withEventHubPort(int port) {
            return new Options(dataDir, eventHubConnectionString, plainPort, port, messageMaxBytes, brokerProperties);
        }

        public Options withMessageMaxBytes(int bytes) {
            return new Options(dataDir, eventHubConnectionString, plainPort, eventHubPort, bytes, brokerProperties);
        }

        /** Adds or replaces one broker property; applied after the sandbox's own. */
        public Options withBrokerProperty(String key, String value) {
            Map<String, String> merged = new HashMap<>(brokerProperties);
            merged.put(key, value);
            return new Options(dataDir, eventHubConnectionString, plainPort, eventHubPort, messageMaxBytes, merged);
        }

        @Override
        public String toString() {
            // The connection string is a secret, even a fake one.
            return "Options[dataDir=" + dataDir + ", plainPort=" + plainPort + ", eventHubPort=" + eventHubPort
                    + ", messageMaxBytes=" + messageMaxBytes + ", brokerProperties=" + brokerProperties.keySet() + "]";
        }

        private static void checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    private EmbeddedKafka(Path root, boolean ownsRoot, KafkaRaftServer server, SelfSignedCertificate certificate,
                          String connectionString, int plainPort, int eventHubPort, Admin admin,
                          Duration startupTime) {
        this.root = root;
        this.ownsRoot = ownsRoot;
        this.server = server;
        this.certificate = certificate;
        this.connectionString = connectionString;
        this.plainPort = plainPort;
        this.eventHubPort = eventHubPort;
        this.admin = admin;
        this.startupTime = startupTime;
    }

    /** Starts a broker with default options: temporary directory, free ports, a fake connection string. */
    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    /** Formats the storage if needed, starts the broker and returns once it answers on its plain listener. */
    public static EmbeddedKafka start(Options options) {
        long started = System.nanoTime();
        boolean ownsRoot = options.dataDir() == null;
        Path root;
        try {
            root = ownsRoot ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the broker's data directory", e);
        }
        try {
            SelfSignedCertificate certificate = sharedCertificate();
            for (int attempt = 1; ; attempt++) {
                int[] free = freePorts(3);
                int controllerPort = free[0];
                int plainPort = options.plainPort() == 0 ? free[1] : options.plainPort();
                int eventHubPort = options.eventHubPort() == 0 ? free[2] : options.eventHubPort();
                // A retry in our own temporary directory starts from clean storage rather than from whatever a
                // half-started server left behind.
                Path logDir = root.resolve(ownsRoot ? "kraft-" + attempt : "kraft");
                KafkaRaftServer server = null;
                try {
                    formatIfNeeded(logDir, controllerPort, plainPort);
                    Properties properties = brokerProperties(options, logDir, certificate, controllerPort, plainPort,
                            eventHubPort);
                    server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
                    server.startup();
                    Admin admin = awaitReady(plainPort);
                    Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
                    log.info("Kafka broker ready in {} ms: PLAINTEXT {}:{}, SASL_SSL {}:{}, data in {}",
                            startupTime.toMillis(), LOOPBACK, plainPort, LOOPBACK, eventHubPort, root);
                    return new EmbeddedKafka(root, ownsRoot, server, certificate,
                            options.eventHubConnectionString(), plainPort, eventHubPort, admin, startupTime);
                } catch (RuntimeException e) {
                    stopQuietly(server);
                    OptionalInt failedPort = portThatFailedToBind(e);
                    // Another process may take a port between our probe and the broker's bind: worth another try
                    // with new ports, unless the port that failed is one the caller asked for.
                    boolean portWasPicked = failedPort.isPresent() && (failedPort.getAsInt() == controllerPort
                            || failedPort.getAsInt() == plainPort && options.plainPort() == 0
                            || failedPort.getAsInt() == eventHubPort && options.eventHubPort() == 0);
                    if (portWasPicked && attempt < MAX_START_ATTEMPTS) {
                        log.warn("Kafka broker could not bind port {} (attempt {} of {}), retrying with new ports",
                                failedPort.getAsInt(), attempt, MAX_START_ATTEMPTS);
                        continue;
                    }
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            if (ownsRoot) {
                deleteRecursively(root);
            }
            throw e;
        }
    }

    private static Properties brokerProperties(Options options, Path logDir, SelfSignedCertificate certificate,
                                               int controllerPort, int plainPort, int eventHubPort) {
        Properties p = coreProperties(logDir, controllerPort, plainPort);
        p.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + plainPort
                + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort
                + ",SASL_SSL://" + LOOPBACK + ":" + eventHubPort);
        p.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + plainPort
                + ",SASL_SSL://" + LOOPBACK + ":" + eventHubPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        p.put("inter.broker.listener.name", "PLAINTEXT");

        // The Event-Hubs-style listener: TLS with our own certificate, SASL PLAIN with $ConnectionString.
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + EVENT_HUB_USER + "=\""
                        + options.eventHubConnectionString() + "\";");
        p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        p.put("listener.name.sasl_ssl.ssl.keystore.location", certificate.keystore().toString());
        p.put("listener.name.sasl_ssl.ssl.keystore.password", new String(certificate.password()));
        p.put("listener.name.sasl_ssl.ssl.key.password", new String(certificate.password()));

        // One node: every internal topic must live with a single replica, or consumers and transactions wait
        // forever for replicas that never come.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", Integer.toString(options.messageMaxBytes()));

        // Two shared cores: fewer threads and a smaller compaction buffer than a production broker.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        p.putAll(options.brokerProperties());
        return p;
    }

    /** What the storage format needs; it is written to disk, so it must hold no secret. */
    private static Properties coreProperties(Path logDir, int controllerPort, int plainPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // Static voters keep the controller's address out of the formatted log, so a restart on other ports works.
        p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + plainPort + ",CONTROLLER://" + LOOPBACK + ":"
                + controllerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        return p;
    }

    private static synchronized SelfSignedCertificate sharedCertificate() {
        if (sharedCertificate == null) {
            try {
                Path dir = Files.createTempDirectory("embedded-kafka-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "embedded-kafka-tls"));
                sharedCertificate = SelfSignedCertificate.create(dir, "sandbox-kafka", randomPassword());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a directory for the broker's keystore", e);
            }
        }
        return sharedCertificate;
    }

    private static void formatIfNeeded(Path logDir, int controllerPort, int plainPort) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                coreProperties(logDir, controllerPort, plainPort).store(out, "storage format only");
            }
            String[] arguments = {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()};
            int status;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                status = StorageTool.execute(arguments, print);
            }
            if (status != 0) {
                throw new IllegalStateException("Formatting " + logDir + " failed with status " + status + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
            log.debug("Formatted {}: {}", logDir, output.toString(StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not format " + logDir, e);
        } finally {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException e) {
                log.warn("Could not delete {}", configFile, e);
            }
        }
    }

    private static Admin awaitReady(int plainPort) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LOOPBACK + ":" + plainPort);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
        Admin admin = Admin.create(properties);
        try {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return admin;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close(Duration.ZERO);
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            admin.close(Duration.ZERO);
            throw new IllegalStateException("Broker did not answer within " + READY_TIMEOUT, e);
        }
    }

    /** The port named by a bind failure anywhere in the cause chain, if the failure is one. */
    private static OptionalInt portThatFailedToBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher matcher = BIND_FAILURE.matcher(String.valueOf(cause.getMessage()));
            if (matcher.find()) {
                return OptionalInt.of(Integer.parseInt(matcher.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** Distinct ports free on loopback right now; all are held open together so that none is handed out twice. */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find free ports on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Could not close port probe {}", socket, e);
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static String fakeConnectionString() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "Endpoint=sb://sandbox.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
                + "SharedAccessKey=" + Base64.getEncoder().encodeToString(key);
    }

    /** The PLAINTEXT listener, for local clients, Connect workers and Kafka Streams. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + plainPort;
    }

    /** The SASL_SSL listener that stands in for an Event Hubs namespace's Kafka endpoint. */
    public String eventHubBootstrapServers() {
        return LOOPBACK + ":" + eventHubPort;
    }

    /**
     * Everything a client needs to reach the SASL_SSL listener, configured exactly as for Azure Event Hubs except
     * for the truststore, which holds the sandbox's own certificate. Host name verification stays on.
     */
    public Properties eventHubClientProperties() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, eventHubBootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + EVENT_HUB_USER + "\" password=\"" + connectionString + "\";");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificate.truststore().toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, new String(certificate.password()));
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
        return p;
    }

    public String eventHubConnectionString() {
        return connectionString;
    }

    /** The truststore holding the broker's self-signed certificate (one per JVM, shared by all brokers in it). */
    public Path truststore() {
        return certificate.truststore();
    }

    public char[] truststorePassword() {
        return certificate.password();
    }

    /** How long {@link #start(Options)} took, from the call to the broker's first answer. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Where the broker keeps its log. */
    public Path dataDir() {
        return root;
    }

    /**
     * Creates a topic with one replica unless it exists, then waits until every partition has a leader.
     * An existing topic is left as it is, whatever its partition count or configs.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs == null ? Map.of() : configs);
        try {
            admin.createTopics(List.of(topic)).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topic {} with {} partitions", name, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
            log.debug("Topic {} exists already", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + name + " was not created within " + READY_TIMEOUT, e);
        }
        awaitTopicReady(name);
    }

    private void awaitTopicReady(String name) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
                if (description.partitions().stream().allMatch(EmbeddedKafka::hasLeader)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + name, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic " + name, e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topic " + name + " was not described within " + READY_TIMEOUT, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + name + " had no leader within " + READY_TIMEOUT);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty() && !partition.isr().isEmpty();
    }

    /** An Admin client on the plain listener, shared by all callers and closed with the broker. */
    public Admin admin() {
        return admin;
    }

    /** Stops the broker and, when the data directory was a temporary one, deletes it. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        admin.close(Duration.ofSeconds(5));
        stopQuietly(server);
        if (ownsRoot) {
            deleteRecursively(root);
        }
        log.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker did not shut down cleanly", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Could not delete {}", path, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}", dir, e);
        }
    }
}
