package com.teamsemergency.streams.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.streams.errors.DeadLetterTopic;
import com.teamsemergency.streams.errors.DeserializationFailureHandler;
import com.teamsemergency.streams.errors.OversizedRecordHandler;
import com.teamsemergency.streams.errors.ProcessingFailureHandler;

/**
 * The Streams application's configuration: a properties file, overridden by {@code EMERGENCY_ALERTS_*} environment
 * variables, with {@code ${file:...}} and {@code ${env:...}} references resolved so that secrets need not sit in the
 * file.
 *
 * <p>Keys under {@code kafka.} go, without the prefix, to Kafka Streams and its clients. Every other key is the
 * application's own and is listed in {@link #DOCUMENTATION}.
 */
public final class AlertsConfig {

    public static final String ENV_PREFIX = "EMERGENCY_ALERTS_";
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String TOPIC_NOTIFICATIONS = "topic.notifications";
    public static final String TOPIC_CHAT_MESSAGES = "topic.chat-messages";
    public static final String TOPIC_USER_LOCATIONS = "topic.user-locations";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_DEAD_LETTERS = "topic.dead-letters";
    public static final String TOPIC_GRAPH_CONTROL = "topic.graph-control";
    public static final String CLIENT_STATE = "security.client-state";
    public static final String TENANT_ID = "security.tenant-id";
    public static final String KEYSTORE_PATH = "security.keystore.path";
    public static final String KEYSTORE_PASSWORD = "security.keystore.password";
    public static final String DEDUP_HORIZON = "dedup.horizon";
    public static final String INCIDENT_WINDOW = "incident.window";
    public static final String ALERT_SOURCE = "alert.source";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION = "topics.replication-factor";

    /** Every key the application reads besides {@code kafka.*} and {@code rules.*}, with its default and meaning. */
    public static final Map<String, String[]> DOCUMENTATION = documentation();

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(file|env):([^}]+)}");
    private static final Set<String> RULE_KEYS = Set.of(EmergencyRules.MARKERS, EmergencyRules.DIALED_NUMBER_PATTERN,
            EmergencyRules.LOCATION_PATTERN, EmergencyRules.CALLBACK_NUMBER_PATTERN, EmergencyRules.TEST_NUMBERS);
    /** Read by the launcher script from the environment, never by the application. */
    private static final Set<String> LAUNCHER_KEYS = Set.of("log.level", "java.opts");

    private final Map<String, String> values;
    private final Path baseDirectory;

    private AlertsConfig(Map<String, String> values, Path baseDirectory) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.baseDirectory = baseDirectory;
    }

    /** Reads {@code file} (may be null for defaults only), then applies the environment's overrides. */
    public static AlertsConfig load(Path file, Map<String, String> environment) {
        Properties properties = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new ConfigException("Cannot read the configuration file " + file + ": " + e.getMessage());
            }
        }
        Path base = file == null ? Path.of("") : file.toAbsolutePath().getParent();
        return fromProperties(properties, environment, base);
    }

    /** {@code baseDirectory} is where relative paths in the settings are read from. */
    public static AlertsConfig fromProperties(Properties properties, Map<String, String> environment,
                                              Path baseDirectory) {
        Map<String, String> merged = new TreeMap<>();
        DOCUMENTATION.forEach((key, doc) -> {
            if (doc[0] != null) {
                merged.put(key, doc[0]);
            }
        });
        properties.stringPropertyNames().forEach(key -> merged.put(key, properties.getProperty(key).trim()));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                merged.put(keyForEnvironmentVariable(name), value.trim());
            }
        });
        merged.replaceAll((key, value) -> resolveReferences(key, value, environment, baseDirectory));
        rejectUnknownKeys(merged.keySet());
        return new AlertsConfig(merged, baseDirectory);
    }

    /**
     * {@code EMERGENCY_ALERTS_KAFKA_BOOTSTRAP_SERVERS} names {@code kafka.bootstrap.servers}: one underscore is a dot,
     * two are a dash ({@code EMERGENCY_ALERTS_RULES_TEST__NUMBERS} is {@code rules.test-numbers}).
     */
    static String keyForEnvironmentVariable(String name) {
        return name.substring(ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace("__", "\u0000")
                .replace('_', '.')
                .replace('\u0000', '-');
    }

    /** A misspelt key would silently leave a check off (the tenant, say): better to refuse to start. */
    private static void rejectUnknownKeys(Iterable<String> keys) {
        List<String> unknown = unknownKeys(keys);
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown setting(s) " + unknown + "; see docs/CONFIGURATION.md for the keys");
        }
    }

    static List<String> unknownKeys(Iterable<String> keys) {
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (!DOCUMENTATION.containsKey(key) && !key.startsWith(KAFKA_PREFIX) && !RULE_KEYS.contains(key)
                    && !LAUNCHER_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    private static String resolveReferences(String key, String value, Map<String, String> environment,
                                            Path baseDirectory) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1).equals("env")) {
                replacement = environment.get(matcher.group(2));
                if (replacement == null) {
                    throw new ConfigException(key + " refers to the environment variable " + matcher.group(2)
                            + ", which is not set");
                }
            } else {
                Path file = baseDirectory.resolve(matcher.group(2));
                try {
                    replacement = Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new ConfigException(key + " refers to the file " + file.toAbsolutePath()
                            + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
                }
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("The setting " + key + " is required: " + describe(key));
        }
        return value;
    }

    /** A file named by {@code key}; a relative path is read from the configuration file's folder. */
    public Path path(String key) {
        return baseDirectory.resolve(get(key));
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public Duration duration(String key) {
        String value = get(key);
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + " must be an ISO-8601 duration such as PT24H or PT30M, not '" + value
                    + "'");
        }
    }

    public int integer(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean bool(String key) {
        String value = get(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ConfigException(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** The Kafka cluster, which {@code run} and {@code locations import} cannot do without. */
    public String bootstrapServers() {
        return get(KAFKA_PREFIX + "bootstrap.servers");
    }

    /** Only the {@code rules.*} settings, so that the rules parser never sees a secret. */
    public Properties rules() {
        Properties rules = new Properties();
        values.forEach((key, value) -> {
            if (RULE_KEYS.contains(key)) {
                rules.setProperty(key, value);
            }
        });
        return rules;
    }

    /**
     * The deduplication horizon and the incident window, checked against each other: a message id must be
     * remembered at least as long as an incident can still be updated (two windows), or a redelivered follow-up
     * would be alerted as a new update.
     */
    public Windows windows() {
        Duration horizon = duration(DEDUP_HORIZON);
        Duration window = duration(INCIDENT_WINDOW);
        if (horizon.isNegative() || horizon.isZero() || window.isNegative() || window.isZero()) {
            throw new ConfigException(DEDUP_HORIZON + " and " + INCIDENT_WINDOW + " must be positive durations");
        }
        if (horizon.compareTo(window.multipliedBy(2)) < 0) {
            throw new ConfigException(DEDUP_HORIZON + " (" + horizon + ") must be at least twice " + INCIDENT_WINDOW
                    + " (" + window + ")");
        }
        return new Windows(horizon, window);
    }

    /** The keys under {@code prefix}, without it. */
    public Properties withPrefix(String prefix) {
        Properties selected = new Properties();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                selected.setProperty(key.substring(prefix.length()), value);
            }
        });
        return selected;
    }

    /**
     * Kafka Streams' settings: the latency-minded defaults below, then whatever {@code kafka.*} says.
     *
     * <p>Record caches would hold an alert back until the next commit, and producers would linger; both are off by
     * default. Exactly-once keeps a crash from doubling an alert; its commit interval bounds how long a
     * {@code read_committed} consumer waits, so it is short. docs/BENCHMARKS.md measures each of these.
     */
    public Properties streamsProperties() {
        Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "teams-emergency-alerts");
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streams.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        streams.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        streams.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        // Every notification costs one RSA private-key decryption, which one thread cannot do 1,000 times a second
        // on a common core; two threads let an instance use two cores (the hub has at least two partitions).
        streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
        streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        streams.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0");
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), "100");
        // Whatever a processor, a deserializer or the producer cannot handle becomes a dead letter, never a dead
        // stream thread: a thread that dies on a record dies again on it after its replacement.
        streams.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecordHandler.class.getName());
        streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingFailureHandler.class.getName());
        streams.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeserializationFailureHandler.class.getName());
        streams.put(DeadLetterTopic.CONFIG, get(TOPIC_DEAD_LETTERS));
        streams.put(DeserializationFailureHandler.LOCATIONS_TOPIC_CONFIG, get(TOPIC_USER_LOCATIONS));
        // An instance that dies without leaving the group keeps its partitions until its session expires: Kafka's
        // 45 s default would hold those partitions' alerts for that long. 10 s is still 3 missed heartbeats.
        streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
        streams.putAll(withPrefix(KAFKA_PREFIX));
        return streams;
    }

    /** The configuration with every secret masked, for the DEBUG line at start. */
    public Map<String, String> redacted() {
        Map<String, String> shown = new TreeMap<>(values);
        shown.replaceAll((key, value) -> isSecret(key) ? "[hidden]" : value);
        return shown;
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("client-state")
                || lower.contains("jaas") || lower.contains("connection-string") || lower.endsWith(".key");
    }

    private static String describe(String key) {
        String[] doc = DOCUMENTATION.get(key);
        return doc == null ? "see docs/CONFIGURATION.md" : doc[1];
    }

    private static Map<String, String[]> documentation() {
        Map<String, String[]> docs = new TreeMap<>();
        docs.put(TOPIC_NOTIFICATIONS, new String[] {"graph-notifications",
            "The Event Hub topic (or its mirror) where Graph writes change-notification collections."});
        docs.put(TOPIC_CHAT_MESSAGES, new String[] {"teams.chat-messages",
            "Chat messages found by the connector's reconciliation, keyed chatId/messageId."});
        docs.put(TOPIC_USER_LOCATIONS, new String[] {"teams.user-locations",
            "Compacted topic of registered user locations, keyed by Entra user object id."});
        docs.put(TOPIC_ALERTS, new String[] {"teams.emergency-alerts",
            "Where alerts are written, as CloudEvents keyed by incident id."});
        docs.put(TOPIC_DEAD_LETTERS, new String[] {"teams.dead-letters",
            "Records that could not be processed, with the original bytes and the reason in headers."});
        docs.put(TOPIC_GRAPH_CONTROL, new String[] {"teams.graph-control",
            "Lifecycle notifications and notifications without resource data, for the connector to act on."});
        docs.put(CLIENT_STATE, new String[] {null,
            "The clientState secret given to Graph when the subscription was created; required."});
        docs.put(TENANT_ID, new String[] {"",
            "When set, notifications from any other Entra tenant are dead letters."});
        docs.put(KEYSTORE_PATH, new String[] {null,
            "PKCS12 keystore holding the private key of each encryption certificate; an entry's alias is its "
                + "encryptionCertificateId. Keep retired keys until no notification names them."});
        docs.put(KEYSTORE_PASSWORD, new String[] {null, "The keystore's password; use ${file:...} or ${env:...}."});
        docs.put(DEDUP_HORIZON, new String[] {"PT24H",
            "How long a message id is remembered, so that a second delivery of it makes no second alert."});
        docs.put(INCIDENT_WINDOW, new String[] {"PT30M",
            "After the last activity of an incident, how long later messages in its chat are updates of it."});
        docs.put(ALERT_SOURCE, new String[] {"urn:teams-emergency-alerts:streams-app",
            "The CloudEvents source attribute of every alert."});
        docs.put(TOPICS_CREATE, new String[] {"false",
            "Whether `run` creates missing topics at start (not on Event Hubs, whose hubs are made in Azure)."});
        docs.put(TOPICS_PARTITIONS, new String[] {"3", "Partitions of the topics that `run` creates."});
        docs.put(TOPICS_REPLICATION, new String[] {"3", "Replication factor of the topics that `run` creates."});
        return Collections.unmodifiableMap(docs);
    }

    /** How long message ids are remembered, and how long after its last message an incident takes updates. */
    public record Windows(Duration dedupHorizon, Duration incidentWindow) {
    }

    /** A setting that is missing or malformed; the message says which and what it should be. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
