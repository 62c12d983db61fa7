package com.teamsemergency.streams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsConfigTest {

    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("topic.alerts=from-file\nkafka.bootstrap.servers=file:9092\n");

        AlertsConfig config = AlertsConfig.load(file, Map.of(
                "EMERGENCY_ALERTS_TOPIC_ALERTS", "from-env",
                "EMERGENCY_ALERTS_RULES_TEST__NUMBERS", "933,999",
                "UNRELATED", "x"));

        assertEquals("from-env", config.get(AlertsConfig.TOPIC_ALERTS));
        assertEquals("933,999", config.get("rules.test-numbers"));
        assertEquals("file:9092", config.streamsProperties().get("bootstrap.servers"));
    }

    @Test
    void resolvesFileAndEnvironmentReferencesSoSecretsStayOutOfTheFile() throws IOException {
        Path secret = dir.resolve("client-state");
        Files.writeString(secret, "s3cret\n");
        Path file = write("security.client-state=${file:" + secret + "}\nsecurity.keystore.password=${env:KS_PW}\n");

        AlertsConfig config = AlertsConfig.load(file, Map.of("KS_PW", "pw"));

        assertEquals("s3cret", config.get(AlertsConfig.CLIENT_STATE));
        assertEquals("pw", config.get(AlertsConfig.KEYSTORE_PASSWORD));
        assertEquals("[hidden]", config.redacted().get(AlertsConfig.CLIENT_STATE));
        assertEquals("[hidden]", config.redacted().get(AlertsConfig.KEYSTORE_PASSWORD));
    }

    @Test
    void namesTheMissingEnvironmentVariable() throws IOException {
        Path file = write("security.client-state=${env:NOT_SET_ANYWHERE}\n");

        AlertsConfig.ConfigException e = assertThrows(AlertsConfig.ConfigException.class,
                () -> AlertsConfig.load(file, Map.of()));

        assertTrue(e.getMessage().contains("NOT_SET_ANYWHERE"), e.getMessage());
    }

    @Test
    void readsRelativePathsFromTheConfigurationFilesFolder() throws IOException {
        Path file = write("security.keystore.path=keys/a.p12\n");

        assertEquals(dir.resolve("keys/a.p12"), AlertsConfig.load(file, Map.of()).path(AlertsConfig.KEYSTORE_PATH));
    }

    @Test
    void defaultsHoldNoRecordBackAndKafkaSettingsWin() {
        Properties file = new Properties();
        file.setProperty("kafka.commit.interval.ms", "20");

        Properties streams = AlertsConfig.fromProperties(file, Map.of(), dir).streamsProperties();

        assertEquals("0", streams.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals("0", streams.get(StreamsConfig.producerPrefix("linger.ms")));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("20", streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    }

    @Test
    void rejectsAMalformedDurationWithTheKeyAndAnExample() {
        Properties file = new Properties();
        file.setProperty(AlertsConfig.INCIDENT_WINDOW, "30 minutes");

        AlertsConfig config = AlertsConfig.fromProperties(file, Map.of(), dir);

        AlertsConfig.ConfigException e = assertThrows(AlertsConfig.ConfigException.class,
                () -> config.duration(AlertsConfig.INCIDENT_WINDOW));
        assertTrue(e.getMessage().contains(AlertsConfig.INCIDENT_WINDOW) && e.getMessage().contains("PT30M"));
        assertEquals(Duration.ofHours(24), config.duration(AlertsConfig.DEDUP_HORIZON));
    }

    @Test
    void refusesAMisspeltKeySoThatNoCheckIsSilentlyOff() throws IOException {
        Path file = write("security.tenantid=5f1d7c2a\nrules.test-numbers=933\nkafka.anything=goes\n");

        AlertsConfig.ConfigException e = assertThrows(AlertsConfig.ConfigException.class,
                () -> AlertsConfig.load(file, Map.of("EMERGENCY_ALERTS_LOG_LEVEL", "DEBUG")));

        assertTrue(e.getMessage().contains("security.tenantid"), e.getMessage());
        assertFalse(e.getMessage().contains("rules.test-numbers") || e.getMessage().contains("log.level"));
    }

    @Test
    void everyOwnKeyIsDocumentedInTheConfigurationGuide() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "CONFIGURATION.md"));
        for (Map.Entry<String, String[]> entry : AlertsConfig.DOCUMENTATION.entrySet()) {
            assertTrue(guide.contains("| `" + entry.getKey() + "` |"), entry.getKey() + " is not in the guide's table");
            assertTrue(entry.getValue()[1] != null && entry.getValue()[1].length() > 20,
                    entry.getKey() + " has no description");
        }
    }

    @Test
    void theShippedConfigurationFilesUseOnlyKnownKeys() throws IOException {
        for (String file : List.of("config/fixtures.properties", "config/kafka.properties",
                "config/eventhub.properties", "docker/config/app.properties")) {
            Properties properties = new Properties();
            try (var in = Files.newInputStream(Path.of("..").resolve(file))) {
                properties.load(in);
            }
            assertEquals(List.of(), AlertsConfig.unknownKeys(properties.stringPropertyNames()), file);
        }
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, text);
        return file;
    }
}
