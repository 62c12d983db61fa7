package com.teamsemergency.streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationCodec;
import com.teamsemergency.streams.AlertsApplication;
import com.teamsemergency.streams.config.AlertsConfig;
import com.teamsemergency.streams.topology.AlertTopology;

/**
 * Runs the real topology, without a broker, over files that each hold one record value, and prints every output
 * record as one JSON line: the topic, key, headers and value. This is how an administrator tries a configuration
 * on captured records, and how the fixtures' expected outcomes are checked.
 */
final class ReplayCommand {

    private final AlertsApplication application;

    ReplayCommand(AlertsConfig config) {
        this.application = new AlertsApplication(config);
    }

    int run(List<String> arguments, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        Path locationsCsv = null;
        boolean chatMessages = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--locations") && i + 1 < arguments.size()) {
                locationsCsv = Path.of(arguments.get(++i));
            } else if (argument.equals("--chat-messages")) {
                chatMessages = true;
            } else if (argument.startsWith("--")) {
                err.println("Unknown option " + argument);
                return 2;
            } else {
                files.add(Path.of(argument));
            }
        }
        if (files.isEmpty()) {
            err.println("usage: emergency-alerts replay [--locations FILE.csv] [--chat-messages] FILE...");
            return 2;
        }

        try (Replay replay = new Replay(application)) {
            if (locationsCsv != null) {
                LocationsCsv.Result parsed = LocationsCsv.read(locationsCsv);
                for (String error : parsed.errors()) {
                    err.println(locationsCsv + ": " + error);
                }
                parsed.locations().forEach(replay::location);
            }
            int unreadable = 0;
            for (Path file : files) {
                byte[] value;
                try {
                    value = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    err.println("Skipped " + file + ": no such file");
                    unreadable++;
                    continue;
                } catch (IOException e) {
                    err.println("Skipped " + file + ": " + (Files.isDirectory(file) ? "a directory" : e.toString()));
                    unreadable++;
                    continue;
                }
                replay.pipe(chatMessages, value);
                for (ObjectNode line : replay.drain()) {
                    line.put("input", file.toString());
                    out.println(line);
                }
            }
            if (unreadable > 0) {
                return 2;
            }
        } catch (IOException e) {
            err.println(e.getMessage());
            return 2;
        }
        return 0;
    }

    /** The topology in a test driver, with its input and output topics. */
    private static final class Replay implements AutoCloseable {

        private final TopologyTestDriver driver;
        private final AlertTopology.Settings settings;
        private final TestInputTopic<byte[], byte[]> notifications;
        private final TestInputTopic<byte[], byte[]> chatMessages;
        private final TestInputTopic<String, byte[]> locations;
        private final List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();

        Replay(AlertsApplication application) {
            this.settings = application.settings();
            Properties properties = new Properties();
            properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "emergency-alerts-replay");
            properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
            properties.put(StreamsConfig.STATE_DIR_CONFIG, tempStateDir());
            properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
            this.driver = new TopologyTestDriver(application.topology(), properties);

            ByteArraySerializer bytes = new ByteArraySerializer();
            notifications = driver.createInputTopic(settings.notificationsTopic(), bytes, bytes);
            chatMessages = driver.createInputTopic(settings.chatMessagesTopic(), bytes, bytes);
            locations = driver.createInputTopic(settings.userLocationsTopic(), new StringSerializer(), bytes);
            for (String topic : List.of(settings.alertsTopic(), settings.deadLettersTopic(),
                    settings.graphControlTopic())) {
                outputs.add(driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
        }

        void location(UserLocation location) {
            locations.pipeInput(location.userId(), UserLocationCodec.toJson(location));
        }

        void pipe(boolean asChatMessage, byte[] value) {
            (asChatMessage ? chatMessages : notifications).pipeInput(null, value, Instant.now());
        }

        List<ObjectNode> drain() {
            List<ObjectNode> lines = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                String topic = i == 0 ? settings.alertsTopic() : i == 1 ? settings.deadLettersTopic()
                        : settings.graphControlTopic();
                for (TestRecord<byte[], byte[]> record : outputs.get(i).readRecordsToList()) {
                    lines.add(line(topic, record));
                }
            }
            return lines;
        }

        private static ObjectNode line(String topic, TestRecord<byte[], byte[]> record) {
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("topic", topic);
            putBytes(line, "key", record.key());
            ObjectNode headers = line.putObject("headers");
            for (Header header : record.headers()) {
                putBytes(headers, header.key(), header.value());
            }
            byte[] value = record.value();
            JsonNode json = value == null ? null : parseJson(value);
            if (json != null) {
                line.set("value", json);
            } else {
                putBytes(line, "value", value);
            }
            return line;
        }

        /** Text as text; bytes that are not UTF-8 as {@code {"base64": ...}}, so that any record prints. */
        private static void putBytes(ObjectNode node, String field, byte[] bytes) {
            if (bytes == null) {
                node.putNull(field);
                return;
            }
            try {
                node.put(field, StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                node.putObject(field).put("base64", Base64.getEncoder().encodeToString(bytes));
            }
        }

        private static JsonNode parseJson(byte[] value) {
            try {
                JsonNode node = Json.mapper().readTree(value);
                return node != null && node.isContainerNode() ? node : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private static String tempStateDir() {
            try {
                return Files.createTempDirectory("emergency-alerts-replay").toString();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create a temporary state directory", e);
            }
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
