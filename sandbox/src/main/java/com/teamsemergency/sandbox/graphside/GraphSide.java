package com.teamsemergency.sandbox.graphside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.sandbox.connect.EmbeddedConnect;
import com.teamsemergency.sandbox.entra.EntraEmulator;
import com.teamsemergency.sandbox.graph.GraphEmulator;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

/**
 * The whole Microsoft side of the pipeline on one machine, started with one call: the Entra ID and Graph emulators,
 * a Connect worker, and the Graph chat source connector deployed over REST, signed in as the person would and
 * holding its subscription. Graph's notifications land in the Event Hub topic of the given broker.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start();
 *      GraphSide side = GraphSide.start(kafka, workDir, GraphSide.Options.defaults())) {
 *     side.graph().simulateEmergencyCall("Dana Whitfield", null, "911", "Building 2, Floor 3");
 *     // the encrypted notification is now on side.eventHubTopic(), decryptable with side.notificationKey()
 * }
 * }</pre>
 */
public final class GraphSide implements AutoCloseable {

    /**
     * How to start it.
     *
     * @param connectorName the connector's name on the worker
     * @param eventHubTopic the Event Hub (topic on the broker's SASL_SSL listener) notifications go to
     * @param reconciliationInterval the connector's reconciliation timer
     * @param renewalInterval the connector's subscription renewal timer
     * @param approveSignIn whether {@link #start} approves the first sign-in as the person would
     * @param connectorOverrides connector settings that replace the defaults
     * @param certificates the emulators' TLS certificate and the notification key to use; null to create both
     */
    public record Options(String connectorName, String eventHubTopic, Duration reconciliationInterval,
                          Duration renewalInterval, boolean approveSignIn, Map<String, String> connectorOverrides,
                          Certificates certificates) {

        public static Options defaults() {
            return new Options("graph-chat", "graph-notifications", Duration.ofSeconds(10), Duration.ofHours(48),
                    true, Map.of(), null);
        }

        public Options withReconciliationInterval(Duration interval) {
            return new Options(connectorName, eventHubTopic, interval, renewalInterval, approveSignIn,
                    connectorOverrides, certificates);
        }

        public Options withRenewalInterval(Duration interval) {
            return new Options(connectorName, eventHubTopic, reconciliationInterval, interval, approveSignIn,
                    connectorOverrides, certificates);
        }

        public Options withApproveSignIn(boolean approve) {
            return new Options(connectorName, eventHubTopic, reconciliationInterval, renewalInterval, approve,
                    connectorOverrides, certificates);
        }

        public Options withConnectorOverride(String key, String value) {
            Map<String, String> merged = new HashMap<>(connectorOverrides);
            merged.put(key, value);
            return new Options(connectorName, eventHubTopic, reconciliationInterval, renewalInterval, approveSignIn,
                    Map.copyOf(merged), certificates);
        }

        /** Reuses certificates made once by {@link Certificates#create}: keytool takes seconds per certificate. */
        public Options withCertificates(Certificates reused) {
            return new Options(connectorName, eventHubTopic, reconciliationInterval, renewalInterval, approveSignIn,
                    connectorOverrides, reused);
        }
    }

    /**
     * The emulators' TLS certificate and the key pair notifications are encrypted to, with the password of both
     * stores.
     */
    public record Certificates(SelfSignedCertificate tls, SelfSignedCertificate notificationKey, char[] password) {

        public static Certificates create(Path dir) {
            char[] password = randomSecret(18).toCharArray();
            return new Certificates(SelfSignedCertificate.create(dir, "emulators", password),
                    SelfSignedCertificate.createNotificationKey(dir, CERTIFICATE_ID, password), password);
        }
    }

    public static final String SERVICE_USER = "security-desk";
    public static final String CERTIFICATE_ID = "sandbox-notifications-1";
    public static final String CHAT_MESSAGES_TOPIC = "teams.chat-messages";
    public static final String STATUS_TOPIC = "teams.connector-status";
    public static final String CONTROL_TOPIC = "teams.graph-control";
    static final String CLIENT_ID = "0f0e0d0c-0b0a-4908-8706-050403020100";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final Logger log = LoggerFactory.getLogger(GraphSide.class);

    private final Options options;
    private final EntraEmulator entra;
    private final GraphEmulator graph;
    private final EmbeddedConnect connect;
    private final SelfSignedCertificate notificationKey;
    private final String clientState;
    private final Map<String, String> connectorConfig;
    private final Instant startedAt;

    private GraphSide(Options options, EntraEmulator entra, GraphEmulator graph, EmbeddedConnect connect,
                      SelfSignedCertificate notificationKey, String clientState, Map<String, String> connectorConfig,
                      Instant startedAt) {
        this.options = options;
        this.entra = entra;
        this.graph = graph;
        this.connect = connect;
        this.notificationKey = notificationKey;
        this.clientState = clientState;
        this.connectorConfig = connectorConfig;
        this.startedAt = startedAt;
    }

    /** Starts everything with the defaults: reconciliation every 10 s, renewal every 48 h, sign-in approved. */
    public static GraphSide start(EmbeddedKafka kafka, Path workDir) {
        return start(kafka, workDir, Options.defaults());
    }

    /**
     * Starts the emulators and a Connect worker on {@code kafka}, deploys the connector with {@code PUT
     * /connectors/{name}/config}, and, if the options say so, approves its sign-in and waits for its subscription.
     *
     * @param workDir where certificates and the connector's secrets file are written
     */
    public static GraphSide start(EmbeddedKafka kafka, Path workDir, Options options) {
        Instant startedAt = Instant.now();
        EntraEmulator entra = null;
        GraphEmulator graph = null;
        EmbeddedConnect connect = null;
        try {
            Files.createDirectories(workDir);
            Certificates certificates = options.certificates() != null ? options.certificates()
                    : Certificates.create(workDir);
            SelfSignedCertificate tls = certificates.tls();
            SelfSignedCertificate notificationKey = certificates.notificationKey();
            char[] password = certificates.password();
            Path certificatePem = writePem(workDir.resolve("notifications.cert.pem"), notificationKey);

            kafka.createTopic(options.eventHubTopic(), 1, Map.of());
            kafka.createTopic(CHAT_MESSAGES_TOPIC, 1, Map.of());
            kafka.createTopic(STATUS_TOPIC, 1, Map.of("cleanup.policy", "compact"));
            kafka.createTopic(CONTROL_TOPIC, 1, Map.of());

            entra = EntraEmulator.start(tls.serverContext(), EntraEmulator.defaultUser());
            graph = GraphEmulator.start(tls.serverContext(), entra, kafka.eventHubClientProperties());
            // A group of its own: a second GraphSide on the same broker must not inherit this one's connector.
            String group = "graph-side-" + randomSecret(4).toLowerCase().replaceAll("[^a-z0-9]", "x");
            connect = EmbeddedConnect.start(kafka.bootstrapServers(), Map.of("group.id", group));

            String clientState = randomSecret(24);
            Path secrets = writeSecrets(workDir.resolve("connector-secrets.properties"), randomSecret(32),
                    clientState, new String(password));
            Map<String, String> config = connectorConfig(options, entra, graph, kafka, tls, secrets, certificatePem);
            connect.putConnectorConfig(options.connectorName(), config);
            connect.awaitConnectorRunning(options.connectorName(), START_TIMEOUT);
            GraphSide side = new GraphSide(options, entra, graph, connect, notificationKey, clientState, config,
                    startedAt);
            if (options.approveSignIn()) {
                side.approvePendingSignIn(START_TIMEOUT);
                side.awaitSubscription(s -> true, START_TIMEOUT);
            }
            return side;
        } catch (IOException | RuntimeException e) {
            closeQuietly(connect);
            closeQuietly(graph);
            closeQuietly(entra);
            throw new IllegalStateException("The Graph side could not start: " + e.getMessage(), e);
        }
    }

    static Map<String, String> connectorConfig(Options options, EntraEmulator entra, GraphEmulator graph,
                                               EmbeddedKafka kafka, SelfSignedCertificate tls, Path secrets,
                                               Path certificatePem) {
        String secretsFile = secrets.toAbsolutePath().toString();
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "com.teamsemergency.connector.GraphChatSourceConnector");
        config.put("tasks.max", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("service.users", SERVICE_USER);
        config.put("entra.authority.host", entra.authorityHost());
        config.put("entra.tenant.id", entra.tenantId());
        config.put("entra.client.id", CLIENT_ID);
        config.put("token.cache.encryption.key", "${file:" + secretsFile + ":token.cache.key}");
        config.put("graph.base.url", graph.baseUrl());
        config.put("https.truststore.path", tls.truststore().toAbsolutePath().toString());
        config.put("https.truststore.password", "${file:" + secretsFile + ":truststore.password}");
        config.put("https.truststore.type", "PKCS12");
        config.put("subscription.notification.url", "EventHub:https://sandbox.servicebus.windows.net/eventhubname/"
                + options.eventHubTopic() + "?tenantId=" + entra.tenantId());
        config.put("subscription.client.state", "${file:" + secretsFile + ":client.state}");
        config.put("subscription.encryption.certificate", certificatePem.toAbsolutePath().toString());
        config.put("subscription.encryption.certificate.id", CERTIFICATE_ID);
        config.put("subscription.renewal.interval.ms", Long.toString(options.renewalInterval().toMillis()));
        config.put("reconciliation.interval.ms", Long.toString(options.reconciliationInterval().toMillis()));
        config.put("topic.chat.messages", CHAT_MESSAGES_TOPIC);
        config.put("topic.status", STATUS_TOPIC);
        config.put("topic.control", CONTROL_TOPIC);
        config.put("control.bootstrap.servers", kafka.bootstrapServers());
        config.put("sign.in.retry.backoff.ms", "1000");
        config.putAll(options.connectorOverrides());
        return Map.copyOf(config);
    }

    public EntraEmulator entra() {
        return entra;
    }

    public GraphEmulator graph() {
        return graph;
    }

    public EmbeddedConnect connect() {
        return connect;
    }

    public String connectorName() {
        return options.connectorName();
    }

    /** The connector configuration as PUT to the worker; secrets appear only as {@code ${file:...}} references. */
    public Map<String, String> connectorConfig() {
        return connectorConfig;
    }

    /** When {@link #start} was called: status records of this connector are not older. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The Event Hub topic Graph's notifications are written to. */
    public String eventHubTopic() {
        return options.eventHubTopic();
    }

    /** The key pair whose certificate the subscription names; its private key decrypts the notifications. */
    public SelfSignedCertificate notificationKey() {
        return notificationKey;
    }

    public String certificateId() {
        return CERTIFICATE_ID;
    }

    /** The clientState secret Graph echoes in each notification, for the Streams application to check. */
    public String clientState() {
        return clientState;
    }

    /** Waits for a device code sign-in to be pending, approves it as the person would, and returns its user code. */
    public String approvePendingSignIn(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<EntraEmulator.PendingSignIn> pending = entra.pendingSignIns();
            if (!pending.isEmpty()) {
                String code = pending.get(pending.size() - 1).userCode();
                if (entra.approve(code)) {
                    log.info("Sign-in {} approved", code);
                    return code;
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("No sign-in was pending within " + timeout + "; connector status: "
                + connect.connectorStatusJson(options.connectorName()));
    }

    /** Waits until the Graph emulator holds a subscription that matches. */
    public GraphEmulator.Subscription awaitSubscription(Predicate<GraphEmulator.Subscription> match,
                                                        Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<GraphEmulator.Subscription> found = graph.subscriptions().stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(100);
        }
        throw new IllegalStateException("No matching subscription within " + timeout + "; connector status: "
                + connect.connectorStatusJson(options.connectorName()));
    }

    /** Stops the worker and the emulators; the broker belongs to the caller. */
    @Override
    public void close() {
        closeQuietly(connect);
        closeQuietly(graph);
        closeQuietly(entra);
    }

    private static Path writePem(Path file, SelfSignedCertificate key) throws IOException {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.certificate().getEncoded());
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
            return file;
        } catch (CertificateEncodingException e) {
            throw new IOException("certificate cannot be encoded", e);
        }
    }

    private static Path writeSecrets(Path file, String tokenKey, String clientState, String truststorePassword)
            throws IOException {
        String text = "token.cache.key=" + tokenKey + "\nclient.state=" + clientState + "\ntruststore.password="
                + truststorePassword + "\n";
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text);
        return file;
    }

    private static String randomSecret(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing {} failed", closeable.getClass().getSimpleName(), e);
        }
    }
}
