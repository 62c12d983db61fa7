package com.teamsemergency.streams.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.common.crypto.NotificationDecryptor;
import com.teamsemergency.common.crypto.NotificationKeyRing;
import com.teamsemergency.common.fixtures.Fixtures;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationCodec;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.streams.alert.AlertEvents;
import com.teamsemergency.streams.errors.DeadLetterTopic;
import com.teamsemergency.streams.errors.DeserializationFailureHandler;
import com.teamsemergency.streams.errors.ProcessingFailureHandler;

import io.cloudevents.CloudEvent;

/** The topology driven by the fixtures of expected.json and by the cases around them. */
class AlertTopologyTest {

    private static final String CALLER_ID = "7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f";
    private static final String EMERGENCY_CHAT = "19:8a2f0c1d5e6b4a7c9d0e1f2a3b4c5d6e@thread.v2";

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> notifications;
    private TestInputTopic<byte[], byte[]> chatMessages;
    private TestInputTopic<String, byte[]> locations;
    private TestOutputTopic<String, CloudEvent> alerts;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> control;

    @BeforeEach
    void startDriver() throws IOException {
        AlertTopology.Settings settings = new AlertTopology.Settings("graph-notifications", "teams.chat-messages",
                "teams.user-locations", "teams.emergency-alerts", "teams.dead-letters", "teams.graph-control",
                Fixtures.CLIENT_STATE, Fixtures.TENANT_ID, Duration.ofHours(24), Duration.ofMinutes(30),
                URI.create("urn:test"), EmergencyRules.defaults());
        NotificationKeyRing keys = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(),
                Fixtures.KEYSTORE_PASSWORD.toCharArray());
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("topology-test").toString());
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeserializationFailureHandler.class.getName());
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                ProcessingFailureHandler.class.getName());
        properties.put(DeadLetterTopic.CONFIG, "teams.dead-letters");
        properties.put(DeserializationFailureHandler.LOCATIONS_TOPIC_CONFIG, "teams.user-locations");
        driver = new TopologyTestDriver(AlertTopology.build(settings, new NotificationDecryptor(keys),
                new ProcessingCounters()), properties);

        ByteArraySerializer bytes = new ByteArraySerializer();
        notifications = driver.createInputTopic("graph-notifications", bytes, bytes);
        chatMessages = driver.createInputTopic("teams.chat-messages", bytes, bytes);
        locations = driver.createInputTopic("teams.user-locations", new StringSerializer(), bytes);
        alerts = driver.createOutputTopic("teams.emergency-alerts", new StringDeserializer(),
                AlertTopology.cloudEventSerde().deserializer());
        deadLetters = driver.createOutputTopic("teams.dead-letters", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        control = driver.createOutputTopic("teams.graph-control", new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    static Stream<Arguments> expectedCases() throws IOException {
        JsonNode cases = Json.mapper().readTree(Fixtures.read("expected.json")).get("cases");
        return Stream.of(cases.fieldNames()).flatMap(names -> {
            List<Arguments> arguments = new ArrayList<>();
            names.forEachRemaining(name -> arguments.add(Arguments.of(name, cases.get(name))));
            return arguments.stream();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedCases")
    void yieldsTheOutcomesThatExpectedJsonLists(String name, JsonNode expected) throws IOException {
        boolean twice = name.endsWith(" twice");
        String file = twice ? name.substring(0, name.length() - " twice".length()) : name;
        byte[] value = Fixtures.read(file);

        notifications.pipeInput(null, value);
        if (twice) {
            notifications.pipeInput(null, value);
        }

        List<TestRecord<String, CloudEvent>> alertRecords = alerts.readRecordsToList();
        List<TestRecord<byte[], byte[]>> deadLetterRecords = deadLetters.readRecordsToList();
        List<TestRecord<String, byte[]>> controlRecords = control.readRecordsToList();
        assertEquals(expected.path("alerts").asInt(0), alertRecords.size(), "alerts");
        assertEquals(expected.path("deadLetters").asInt(0), deadLetterRecords.size(), "dead letters");
        assertEquals(expected.path("lifecycle").asInt(0), countLifecycle(controlRecords), "lifecycle records");

        if (expected.has("reason")) {
            String reason = header(deadLetterRecords.get(0).headers(), DeadLetterHeaders.REASON);
            String keyword = expected.get("reason").asText().replace(" ", "-");
            assertTrue(reason.contains(keyword.equals("not-JSON") ? "not-json" : keyword),
                    "reason " + reason + " should name " + expected.get("reason").asText());
            assertEquals("graph-notifications", header(deadLetterRecords.get(0).headers(),
                    DeadLetterHeaders.SOURCE_TOPIC));
            assertNotNull(header(deadLetterRecords.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET));
            String letter = new String(deadLetterRecords.get(0).value(), StandardCharsets.UTF_8);
            if (header(deadLetterRecords.get(0).headers(), DeadLetterHeaders.NOTIFICATION_INDEX) == null) {
                assertEquals(new String(value, StandardCharsets.UTF_8), letter, "original bytes kept");
            } else {
                assertTrue(letter.contains("\"subscriptionId\""), "the failed notification kept: " + letter);
                assertFalse(letter.contains(Fixtures.CLIENT_STATE), "client state masked: " + letter);
            }
        }
        if (!alertRecords.isEmpty()) {
            JsonNode data = data(alertRecords.get(0).value());
            for (Map.Entry<String, String> field : Map.of("callerId", "caller/id", "callerName", "caller/name",
                    "callbackNumber", "caller/callbackNumber", "dialedNumber", "dialedNumber", "test", "test",
                    "messageId", "messageId", "chatId", "chatId", "location", "reportedLocation").entrySet()) {
                if (expected.has(field.getKey())) {
                    assertEquals(expected.get(field.getKey()).asText(), data.at("/" + field.getValue()).asText(),
                            field.getKey());
                }
            }
            assertEquals(alertRecords.get(0).key(), data.get("incidentId").asText(), "keyed by incident id");
        }
    }

    @Test
    void skipsLifecycleAndBasicNotificationsIntoControlWithoutClientState() {
        notifications.pipeInput(null, Fixtures.read("eventhub/basic-notification.json"));
        notifications.pipeInput(null, Fixtures.read("eventhub/lifecycle-subscriptionRemoved.json"));

        List<TestRecord<String, byte[]>> records = control.readRecordsToList();
        assertEquals(2, records.size());
        for (TestRecord<String, byte[]> record : records) {
            String json = new String(record.value(), StandardCharsets.UTF_8);
            assertFalse(json.contains(Fixtures.CLIENT_STATE), "client state must not be passed on: " + json);
            assertEquals("0c7e9d4b-2f61-4b8a-9e35-7a1c2d3e4f50", record.key());
        }
    }

    @Test
    void writesTheAlertAsABinaryModeCloudEvent() {
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        TestRecord<String, CloudEvent> record = alerts.readRecord();
        CloudEvent event = record.value();
        assertEquals("1.0", header(record.headers(), "ce_specversion"));
        assertEquals(AlertEvents.CALL_TYPE, event.getType());
        assertEquals(record.key() + "/0", event.getId());
        assertEquals(CALLER_ID, event.getSubject());
        assertEquals("application/json", event.getDataContentType());
        JsonNode data = data(event);
        assertEquals(1, data.get("schemaVersion").asInt());
        assertEquals("notification", data.get("source").asText());
        assertEquals(0, data.get("updateCount").asInt());
        assertTrue(data.get("rulesMatched").asBoolean());
        assertFalse(data.get("locationKnown").asBoolean(), "no location loaded: the alert is flagged");
        assertTrue(data.get("registeredLocation").isNull());
        assertTrue(Instant.parse(data.get("detectedAt").asText()).isAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void joinsTheCallerWithTheRegisteredLocation() {
        UserLocation desk = new UserLocation(CALLER_ID, "Dana Whitfield", "Building 2", "3", "3.141",
                "500 Example Ave", "Springfield", "US", "Desk by the east stairs");
        locations.pipeInput(CALLER_ID, UserLocationCodec.toJson(desk));

        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        JsonNode data = data(alerts.readValue());
        assertTrue(data.get("locationKnown").asBoolean());
        assertEquals("3.141", data.at("/registeredLocation/room").asText());
        assertEquals("Desk by the east stairs", data.at("/registeredLocation/notes").asText());
    }

    @Test
    void mergesTheReconciledCopyOfANotifiedMessageIntoOneAlert() {
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396531000"), Fixtures.read("messages/emergency-call.json"));

        assertEquals(1, alerts.readRecordsToList().size());
    }

    @Test
    void alertsFromReconciliationWhenTheNotificationWasDropped() {
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396531000"), Fixtures.read("messages/emergency-call.json"));
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        List<TestRecord<String, CloudEvent>> records = alerts.readRecordsToList();
        assertEquals(1, records.size());
        assertEquals("reconciliation", data(records.get(0).value()).get("source").asText());
    }

    @Test
    void turnsALaterMessageInTheSameChatIntoAnUpdateOfTheIncident() throws IOException {
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396590000"), followUp("1796396590000",
                "2026-12-04T15:03:10.000Z"));

        List<TestRecord<String, CloudEvent>> records = alerts.readRecordsToList();
        assertEquals(2, records.size());
        assertEquals(records.get(0).key(), records.get(1).key(), "same incident");
        JsonNode update = data(records.get(1).value());
        assertEquals(AlertEvents.UPDATE_TYPE, records.get(1).value().getType());
        assertEquals(1, update.get("updateCount").asInt());
        assertEquals("1796396590000", update.at("/latestMessage/messageId").asText());
        assertEquals("911", update.get("dialedNumber").asText(), "an update still says what the call was");
    }

    @Test
    void ignoresAMessageInTheSameChatAfterTheIncidentWindow() throws IOException {
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796400000000"), followUp("1796400000000",
                "2026-12-04T16:02:11.000Z"));

        assertEquals(1, alerts.readRecordsToList().size());
    }

    @Test
    void alertsWithTheRawTextWhenOnlyTheMarkerMatches() throws IOException {
        JsonNode message = Json.mapper().readTree(Fixtures.read("messages/emergency-call.json"));
        ((ObjectNode) message.get("body")).put("content",
                "<div>Dana Whitfield <b>has placed an Emergency Call</b> &mdash; details to follow</div>");
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396531000"), Json.mapper().writeValueAsBytes(message));

        JsonNode data = data(alerts.readValue());
        assertFalse(data.get("rulesMatched").asBoolean());
        assertTrue(data.get("messageText").asText().contains("details to follow"));
        assertTrue(data.get("dialedNumber").isNull());
    }

    @Test
    void deadLettersAReconciledRecordThatIsNotAChatMessage() {
        chatMessages.pipeInput(key("chat/1"), "{\"not\": \"a message\"}".getBytes(StandardCharsets.UTF_8));
        chatMessages.pipeInput(key("chat/2"), new byte[] {(byte) 0xff, 0x00, 0x01});

        List<TestRecord<byte[], byte[]>> records = deadLetters.readRecordsToList();
        assertEquals(2, records.size());
        assertEquals("teams.chat-messages", header(records.get(0).headers(), DeadLetterHeaders.SOURCE_TOPIC));
        assertTrue(alerts.isEmpty());
    }

    @Test
    void deadLettersHostileCollectionsWithoutStopping() {
        for (String value : List.of("", "   ", "[]", "{}", "{\"value\": {}}", "{\"value\": [1, \"x\"]}",
                "{\"value\": [{\"changeType\": \"created\"}]}", "[".repeat(100_000))) {
            notifications.pipeInput(null, value.getBytes(StandardCharsets.UTF_8));
        }
        notifications.pipeInput(null, (byte[]) null);
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        assertEquals(1, alerts.readRecordsToList().size(), "the stream goes on after hostile input");
        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertTrue(letters.size() >= 9, "every hostile record leaves a trace: " + letters.size());
        for (TestRecord<byte[], byte[]> letter : letters) {
            assertNotNull(header(letter.headers(), DeadLetterHeaders.REASON));
        }
    }

    @Test
    void deadLettersANotificationFromAnotherTenant() throws IOException {
        String json = new String(Fixtures.read("eventhub/emergency-call.json"), StandardCharsets.UTF_8)
                .replace(Fixtures.TENANT_ID, "00000000-0000-0000-0000-000000000000");
        notifications.pipeInput(null, json.getBytes(StandardCharsets.UTF_8));

        assertTrue(alerts.isEmpty());
        assertEquals("tenant-mismatch", header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON));
    }

    @Test
    void alertsTheGoodNotificationsOfACollectionInWhichOneItemIsMalformed() throws IOException {
        ObjectNode collection = (ObjectNode) Json.mapper().readTree(Fixtures.read("eventhub/emergency-call.json"));
        ArrayNode items = (ArrayNode) collection.get("value");
        items.insert(0, Json.mapper().nullNode());
        items.add(Json.mapper().createObjectNode().put("resourceData", "not an object").put("clientState", "x"));
        notifications.pipeInput(null, Json.mapper().writeValueAsBytes(collection));

        assertEquals(1, alerts.readRecordsToList().size(), "the call is not lost to its neighbours");
        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(2, letters.size());
        assertEquals("0", header(letters.get(0).headers(), DeadLetterHeaders.NOTIFICATION_INDEX));
        assertEquals("2", header(letters.get(1).headers(), DeadLetterHeaders.NOTIFICATION_INDEX));
        assertEquals("malformed-notification", header(letters.get(1).headers(), DeadLetterHeaders.REASON));
    }

    @Test
    void neverCopiesTheClientStateIntoADeadLetter() {
        notifications.pipeInput(null, Fixtures.read("eventhub/tampered-signature.json"));
        notifications.pipeInput(null, Fixtures.read("eventhub/unknown-certificate.json"));

        for (TestRecord<byte[], byte[]> letter : deadLetters.readRecordsToList()) {
            assertFalse(new String(letter.value(), StandardCharsets.UTF_8).contains(Fixtures.CLIENT_STATE));
        }
    }

    @Test
    void doesNotAlertOnTheDeletionOfAnEmergencyMessage() {
        String deleted = new String(Fixtures.read("eventhub/emergency-call.json"), StandardCharsets.UTF_8)
                .replace("\"changeType\": \"created\"", "\"changeType\": \"deleted\"");
        assertTrue(deleted.contains("\"deleted\""), "the fixture's changeType was replaced");
        notifications.pipeInput(null, deleted.getBytes(StandardCharsets.UTF_8));

        assertTrue(alerts.isEmpty());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void doesNotTakeASystemEventForTheCallersMessage() throws IOException {
        ObjectNode message = (ObjectNode) Json.mapper().readTree(Fixtures.read("messages/emergency-call.json"));
        message.put("messageType", "systemEventMessage");
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396531000"), Json.mapper().writeValueAsBytes(message));

        assertTrue(alerts.isEmpty());
    }

    @Test
    void checksTheClientStateOfAValidationEventThatCarriesContent() throws IOException {
        ObjectNode collection = (ObjectNode) Json.mapper().readTree(Fixtures.read("eventhub/emergency-call.json"));
        ((ObjectNode) collection.get("value").get(0)).put("changeType", "Validation: not really")
                .put("clientState", "forged");
        notifications.pipeInput(null, Json.mapper().writeValueAsBytes(collection));

        assertTrue(alerts.isEmpty());
        assertEquals("client-state-mismatch", header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON));
    }

    @Test
    void capsTheTextThatTravelsWithAnAlert() throws IOException {
        ObjectNode message = (ObjectNode) Json.mapper().readTree(Fixtures.read("messages/emergency-call.json"));
        ((ObjectNode) message.get("body")).put("content", "<p>Dana has placed an Emergency Call to 911.</p>"
                + "<p>Location: "
                + "x".repeat(50_000) + "</p>" + "<p>" + "y".repeat(500_000) + "</p>");
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396531000"), Json.mapper().writeValueAsBytes(message));

        JsonNode data = data(alerts.readValue());
        assertTrue(data.get("messageText").asText().length() <= MessageRecognition.MAX_TEXT_CHARS);
        assertTrue(data.get("reportedLocation").asText().length() <= MessageRecognition.MAX_FIELD_CHARS);
    }

    @Test
    void keepsTheOldLocationWhenAnUnreadableOneArrives() {
        UserLocation desk = new UserLocation(CALLER_ID, "Dana Whitfield", "Building 2", "3", "3.141", null, null,
                null, null);
        locations.pipeInput(CALLER_ID, UserLocationCodec.toJson(desk));
        locations.pipeInput(CALLER_ID, "{not a location".getBytes(StandardCharsets.UTF_8));

        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        // The test driver drops what a handler sends from the global thread; AlertPipelineIT sees that dead letter.
        assertEquals("3.141", data(alerts.readValue()).at("/registeredLocation/room").asText());
    }

    @Test
    void findsTheLocationWhateverTheCaseOfTheUserIdInTheTable() {
        UserLocation desk = new UserLocation(CALLER_ID, null, "Building 2", null, null, null, null, null, null);
        locations.pipeInput(CALLER_ID.toUpperCase(java.util.Locale.ROOT), UserLocationCodec.toJson(desk));
        locations.pipeInput(UserIds.normalise(CALLER_ID.toUpperCase(java.util.Locale.ROOT)),
                UserLocationCodec.toJson(desk));

        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));

        assertTrue(data(alerts.readValue()).get("locationKnown").asBoolean());
    }

    @Test
    void forgetsAClosedIncidentAndAMessageIdPastTheHorizon() throws IOException {
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));
        assertEquals(1, alerts.readRecordsToList().size());

        driver.advanceWallClockTime(Duration.ofMinutes(61));
        chatMessages.pipeInput(key(EMERGENCY_CHAT + "/1796396540000"), followUp("1796396540000",
                "2026-12-04T15:02:40.000Z"));
        assertTrue(alerts.isEmpty(), "the incident was forgotten two windows after its last change");

        driver.advanceWallClockTime(Duration.ofHours(24));
        notifications.pipeInput(null, Fixtures.read("eventhub/emergency-call.json"));
        List<TestRecord<String, CloudEvent>> again = alerts.readRecordsToList();
        assertEquals(1, again.size(), "past the horizon a redelivery is new again");
        assertEquals(again.get(0).key() + "/0", again.get(0).value().getId(), "with the original's CloudEvent id");
    }

    private static long countLifecycle(List<TestRecord<String, byte[]>> records) {
        return records.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("lifecycleEvent\":\""))
                .count();
    }

    private static byte[] followUp(String messageId, String createdAt) throws IOException {
        JsonNode message = Json.mapper().readTree(Fixtures.read("messages/emergency-call.json"));
        ObjectNode object = (ObjectNode) message;
        object.put("id", messageId);
        object.put("createdDateTime", createdAt);
        ((ObjectNode) object.get("body")).put("content",
                "<p>Security desk here, we are on our way.</p>");
        return Json.mapper().writeValueAsBytes(object);
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode data(CloudEvent event) {
        try {
            return Json.mapper().readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
