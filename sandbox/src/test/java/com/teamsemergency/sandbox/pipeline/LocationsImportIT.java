package com.teamsemergency.sandbox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationCodec;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.streams.cli.Main;

/** {@code emergency-alerts locations import} against a real broker, through the SASL_SSL listener. */
class LocationsImportIT {

    @TempDir
    static Path workDir;

    private static EmbeddedKafka kafka;
    private static StreamsSandbox settings;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(workDir.resolve("kafka")));
        SandboxTopics.createAll(kafka);
        settings = StreamsSandbox.create(kafka, workDir.resolve("streams"), "locations-it", Map.of(), null);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void importsASpreadsheetCsvAndRefusesAFileWithABadRowUntilToldToSkipIt() throws Exception {
        Path good = workDir.resolve("good.csv");
        Files.writeString(good, "\uFEFFuserId,displayName,building,floor,notes\r\n"
                + "u-1,\"Whitfield, Dana\",Building 2,3,\"Desk by the \"\"east\"\" stairs\"\r\n"
                + "u-2,Sam Okafor,Building 1,1,\r\n");
        Path bad = workDir.resolve("bad.csv");
        Files.writeString(bad, "userId,building\nu-3,Building 9\n,Building 0\n");

        assertEquals(0, run("locations", "import", good.toString()).code());
        Result refused = run("locations", "import", bad.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("line 3"), refused.err());
        Map<String, UserLocation> afterRefusal = readLocations(2);
        assertEquals(2, afterRefusal.size(), "nothing from the refused file: " + afterRefusal.keySet());

        assertEquals(1, run("locations", "import", bad.toString(), "--skip-bad-rows").code());
        Map<String, UserLocation> locations = readLocations(3);
        assertEquals("Whitfield, Dana", locations.get("u-1").displayName());
        assertEquals("Desk by the \"east\" stairs", locations.get("u-1").notes());
        assertEquals("Building 9", locations.get("u-3").building());
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[arguments.length + 2];
        args[0] = "--config";
        args[1] = settings.propertiesFile().toString();
        System.arraycopy(arguments, 0, args, 2, arguments.length);
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, UserLocation> readLocations(int atLeast) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "locations-reader-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, UserLocation> locations = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(SandboxTopics.USER_LOCATIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    locations.put(record.key(), UserLocationCodec.parse(record.value()));
                }
                if (locations.size() >= atLeast) {
                    // one more poll, so that records beyond the expected ones would be seen too
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> locations.put(r.key(),
                            UserLocationCodec.parse(r.value())));
                    break;
                }
            }
        }
        return locations;
    }
}
