package com.teamsemergency.streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationCodec;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * Loads user locations from a CSV file into the compacted location topic, keyed by Entra user object id. By
 * default a file with any bad row imports nothing, so that a half-read spreadsheet never replaces good locations.
 */
final class LocationsImportCommand {

    private final AlertsConfig config;

    LocationsImportCommand(AlertsConfig config) {
        this.config = config;
    }

    int run(List<String> arguments, PrintStream out, PrintStream err) {
        boolean skipBadRows = arguments.contains("--skip-bad-rows");
        List<String> files = arguments.stream().filter(a -> !a.startsWith("--")).toList();
        if (files.size() != 1) {
            err.println("usage: emergency-alerts locations import FILE.csv [--skip-bad-rows]");
            return 2;
        }
        Path file = Path.of(files.get(0));

        LocationsCsv.Result result;
        try {
            result = LocationsCsv.read(file);
        } catch (IOException e) {
            err.println("Cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        result.errors().forEach(e -> err.println(file + ": " + e));
        if (!result.errors().isEmpty() && !skipBadRows) {
            err.println(result.errors().size() + " bad row(s); nothing imported. Mend them, or pass --skip-bad-rows "
                    + "to import the " + result.locations().size() + " good one(s).");
            return 1;
        }

        String topic = config.get(AlertsConfig.TOPIC_USER_LOCATIONS);
        Properties producerProperties = config.withPrefix(AlertsConfig.KAFKA_PREFIX);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A broker that cannot be reached should be said so in seconds, not after Kafka's minute of retries.
        producerProperties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        producerProperties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        producerProperties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        String bootstrap = config.get(AlertsConfig.KAFKA_PREFIX + "bootstrap.servers");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clientProperties(producerProperties),
                new StringSerializer(), new ByteArraySerializer())) {
            for (UserLocation location : result.locations()) {
                producer.send(new ProducerRecord<>(topic, location.userId(), UserLocationCodec.toJson(location))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted; some locations may not have been imported.");
            return 1;
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println("Import into " + topic + " at " + bootstrap + " failed: " + cause.getMessage()
                    + " - is Kafka reachable there, and does the topic exist?");
            return 1;
        }
        out.println("Imported " + result.locations().size() + " location(s) into " + topic
                + (result.errors().isEmpty() ? "." : "; skipped " + result.errors().size() + " bad row(s)."));
        return result.errors().isEmpty() ? 0 : 1;
    }

    /** Client settings from {@code kafka.*}, without the ones meant for Kafka Streams alone. */
    static Properties clientProperties(Properties kafka) {
        Properties client = new Properties();
        kafka.forEach((key, value) -> {
            String name = key.toString();
            if (!name.startsWith("consumer.") && !name.startsWith("producer.") && !name.startsWith("admin.")
                    && !name.startsWith("main.consumer.") && !name.startsWith("restore.consumer.")
                    && !name.startsWith("global.consumer.") && !isStreamsOnly(name)) {
                client.put(name, value);
            }
        });
        return client;
    }

    private static boolean isStreamsOnly(String name) {
        return StreamsConfig.configDef().names().contains(name) && !ProducerConfig.configNames().contains(name);
    }
}
