package com.teamsemergency.streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * Shows what the connector last said of each service user, from its compacted status topic: signed in or not, and
 * while a sign-in is pending the address and code a person must enter.
 */
final class ConnectorStatusCommand {

    static final String STATUS_TOPIC = "teams.connector-status";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final AlertsConfig config;

    ConnectorStatusCommand(AlertsConfig config) {
        this.config = config;
    }

    int run(List<String> arguments, PrintStream out, PrintStream err) {
        String topic = arguments.isEmpty() ? STATUS_TOPIC : arguments.get(0);
        Map<String, JsonNode> latest;
        try {
            latest = readLatest(topic);
        } catch (KafkaException e) {
            err.println("Cannot read " + topic + " at " + config.bootstrapServers() + ": " + e.getMessage());
            return 1;
        }
        if (latest.isEmpty()) {
            out.println("No status in " + topic + " yet: is the connector deployed?");
            return 1;
        }
        latest.forEach((serviceUser, status) -> print(serviceUser, status, out));
        return 0;
    }

    static void print(String serviceUser, JsonNode status, PrintStream out) {
        out.println("service user      " + serviceUser);
        out.println("sign-in           " + status.path("signIn").asText("?")
                + (status.hasNonNull("signInReason") ? " (" + status.get("signInReason").asText() + ")" : ""));
        JsonNode prompt = status.path("prompt");
        if (prompt.isObject()) {
            out.println("SIGN-IN NEEDED    open " + prompt.path("verificationUri").asText() + " and enter the code "
                    + prompt.path("userCode").asText() + " before " + time(prompt.path("expiresAt")));
        }
        JsonNode subscription = status.path("subscription");
        out.println("subscription      " + subscription.path("id").asText("(none)") + ", expires "
                + time(subscription.path("expiresAt")) + ", last renewal " + time(subscription.path("lastRenewal")));
        JsonNode reconciliation = status.path("reconciliation");
        out.println("reconciliation    " + reconciliation.path("runs").asInt() + " runs, "
                + reconciliation.path("messages").asInt() + " messages read (overlaps included), last "
                + time(reconciliation.path("lastRun")));
        JsonNode error = status.path("lastError");
        if (error.hasNonNull("message")) {
            out.println("last error        " + error.get("message").asText() + " at " + time(error.path("at")));
        }
        out.println("as of             " + time(status.path("at")));
        out.println();
    }

    /** To the second, as a person reads it; "-" when absent. */
    private static String time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.asText().isBlank()) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return value.asText();
        }
    }

    private Map<String, JsonNode> readLatest(String topic) {
        Properties properties = LocationsImportCommand.clientProperties(config.withPrefix(AlertsConfig.KAFKA_PREFIX));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "emergency-alerts-status-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(READ_TIMEOUT.toMillis()));
        Map<String, JsonNode> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                        continue;
                    }
                    try {
                        latest.put(record.key(), Json.mapper().readTree(record.value()));
                    } catch (IOException e) {
                        latest.put(record.key(), Json.mapper().createObjectNode().put("signIn",
                                "(an unreadable status record at offset " + record.offset() + ")"));
                    }
                }
            }
        }
        return latest;
    }
}
