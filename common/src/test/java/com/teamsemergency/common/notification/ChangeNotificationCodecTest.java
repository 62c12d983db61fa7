package com.teamsemergency.common.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.fixtures.Fixtures;
import com.teamsemergency.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeNotificationCodecTest {

    @ParameterizedTest
    @CsvSource({
        "eventhub/basic-notification.json, 1",
        "eventhub/emergency-call.json, 1",
        "eventhub/emergency-test-call-933.json, 1",
        "eventhub/lifecycle-reauthorizationRequired.json, 1",
        "eventhub/lifecycle-subscriptionRemoved.json, 1",
        "eventhub/mixed-batch.json, 3",
        "eventhub/ordinary-chat.json, 1",
        "eventhub/tampered-signature.json, 1",
        "eventhub/unknown-certificate.json, 1",
        "eventhub/validation-event.json, 1",
        "eventhub/wrong-client-state.json, 1"})
    void parsesEveryFixtureCollection(String fixture, int expectedItems) throws Exception {
        List<ChangeNotification> notifications = ChangeNotificationCodec.parseCollection(Fixtures.read(fixture));

        assertEquals(expectedItems, notifications.size());
        for (ChangeNotification n : notifications) {
            assertTrue(n.isValidation() || n.isLifecycle() || n.chatId().isPresent(), fixture);
        }
    }

    @Test
    void readsEveryFieldOfANotificationWithResourceData() throws Exception {
        ChangeNotification n = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/emergency-call.json")).get(0);

        assertEquals("0c7e9d4b-2f61-4b8a-9e35-7a1c2d3e4f50", n.subscriptionId());
        assertEquals("created", n.changeType());
        assertEquals(Fixtures.CLIENT_STATE, n.clientState());
        assertEquals(Fixtures.TENANT_ID, n.tenantId());
        assertEquals("2026-12-07T15:00:00.0000000+00:00", n.subscriptionExpirationDateTime());
        assertEquals("#Microsoft.Graph.chatMessage", n.resourceData().odataType());
        assertEquals("1796396531000", n.resourceData().id());
        assertEquals(Fixtures.CERTIFICATE_ID, n.encryptedContent().encryptionCertificateId());
        assertEquals(Fixtures.CERTIFICATE_THUMBPRINT, n.encryptedContent().encryptionCertificateThumbprint());
        assertNull(n.lifecycleEvent());
        assertTrue(n.hasResourceData());
        assertFalse(n.isValidation());
        assertFalse(n.isLifecycle());
        assertEquals("19:8a2f0c1d5e6b4a7c9d0e1f2a3b4c5d6e@thread.v2", n.chatId().orElseThrow());
        assertEquals("1796396531000", n.messageId().orElseThrow());
    }

    @Test
    void recognisesValidationAndLifecycleEvents() throws Exception {
        ChangeNotification validation = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/validation-event.json")).get(0);
        ChangeNotification lifecycle = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/lifecycle-subscriptionRemoved.json")).get(0);
        ChangeNotification basic = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/basic-notification.json")).get(0);

        assertTrue(validation.isValidation());
        assertTrue(validation.chatId().isEmpty());
        assertTrue(lifecycle.isLifecycle());
        assertEquals("subscriptionRemoved", lifecycle.lifecycleEvent());
        assertFalse(lifecycle.hasResourceData());
        assertFalse(basic.hasResourceData());
        assertEquals("1796396531000", basic.messageId().orElseThrow());
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertReason(DeadLetterReason.NOT_JSON, Fixtures.read("eventhub/not-json.txt"));
    }

    @Test
    void rejectsEmptyRecords() {
        assertReason(DeadLetterReason.EMPTY_RECORD, null);
        assertReason(DeadLetterReason.EMPTY_RECORD, new byte[0]);
        assertReason(DeadLetterReason.EMPTY_RECORD, bytes(" \r\n\t "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{}", "{\"value\":{}}", "{\"value\":null}", "\"value\"", "42", "null",
        "{\"values\":[]}"})
    void rejectsJsonThatIsNotACollection(String json) {
        assertReason(DeadLetterReason.NOT_A_COLLECTION, bytes(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"value\":[1]}", "{\"value\":[null]}", "{\"value\":[[]]}",
        "{\"value\":[{\"clientState\":{\"nested\":true}}]}", "{\"value\":[{\"resourceData\":\"x\"}]}",
        "{\"value\":[{\"encryptedContent\":[]}]}"})
    void rejectsItemsThatAreNotNotifications(String json) {
        assertReason(DeadLetterReason.MALFORMED_NOTIFICATION, bytes(json));
    }

    @Test
    void acceptsAnEmptyCollection() throws Exception {
        assertTrue(ChangeNotificationCodec.parseCollection(bytes("{\"value\":[]}")).isEmpty());
    }

    @Test
    void rejectsTrailingGarbage() {
        assertReason(DeadLetterReason.NOT_JSON, bytes("{\"value\":[]} trailing"));
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutOverflowingTheStack() {
        int depth = 200_000;
        assertReason(DeadLetterReason.NOT_JSON, bytes("[".repeat(depth) + "]".repeat(depth)));
        assertReason(DeadLetterReason.NOT_JSON, bytes("{\"value\":[{\"a\":" + "{\"a\":".repeat(depth) + "1"
                + "}".repeat(depth + 2) + "]}"));
    }

    @Test
    void parsesAFiveMegabyteRecord() throws Exception {
        String data = "A".repeat(5 * 1024 * 1024);
        byte[] record = bytes("{\"value\":[{\"changeType\":\"created\",\"encryptedContent\":{\"data\":\"" + data
                + "\"}}]}");

        List<ChangeNotification> notifications = ChangeNotificationCodec.parseCollection(record);

        assertEquals(data.length(), notifications.get(0).encryptedContent().data().length());
    }

    @Test
    void rejectsARecordOverTheLimitBeforeParsingIt() throws Exception {
        byte[] record = Fixtures.read("eventhub/emergency-call.json");

        MalformedNotificationException e = assertThrows(MalformedNotificationException.class,
                () -> ChangeNotificationCodec.parseCollection(record, record.length - 1));
        assertEquals(DeadLetterReason.RECORD_TOO_LARGE, e.reason());
        assertEquals(1, ChangeNotificationCodec.parseCollection(record, record.length).size());
    }

    @Test
    void rejectsFiveMegabytesOfGarbage() {
        assertReason(DeadLetterReason.NOT_JSON, bytes("{\"value\":[" + "x".repeat(5 * 1024 * 1024)));
    }

    @Test
    void doesNotQuoteTheRecordInItsMessage() {
        MalformedNotificationException e = assertThrows(MalformedNotificationException.class,
                () -> ChangeNotificationCodec.parseCollection(bytes("{\"clientState\": s3cr3t-v4lue }")));
        assertEquals(DeadLetterReason.NOT_JSON, e.reason());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void writesGraphFieldNamesWithoutTheClientState() throws Exception {
        ChangeNotification n = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/emergency-call.json")).get(0);

        JsonNode json = Json.mapper().readTree(ChangeNotificationCodec.toJson(n));

        assertEquals("#Microsoft.Graph.chatMessage", json.path("resourceData").path("@odata.type").asText());
        assertEquals(n.resource(), json.path("resourceData").path("@odata.id").asText());
        assertEquals(Fixtures.CERTIFICATE_ID, json.path("encryptedContent").path("encryptionCertificateId").asText());
        assertTrue(json.has("lifecycleEvent") && json.get("lifecycleEvent").isNull());
        assertFalse(json.has("clientState"));
        assertFalse(new String(ChangeNotificationCodec.toJson(n), StandardCharsets.UTF_8)
                .contains(Fixtures.CLIENT_STATE));
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        ChangeNotification lifecycle = ChangeNotificationCodec.parseCollection(
                Fixtures.read("eventhub/lifecycle-reauthorizationRequired.json")).get(0);

        ChangeNotification copy = ChangeNotificationCodec.parseNotification(ChangeNotificationCodec.toJson(lifecycle));

        assertEquals(new ChangeNotification(lifecycle.subscriptionId(), lifecycle.changeType(), null,
                lifecycle.resource(), lifecycle.resourceData(), lifecycle.subscriptionExpirationDateTime(),
                lifecycle.tenantId(), lifecycle.lifecycleEvent(), lifecycle.encryptedContent()), copy);
    }

    private static void assertReason(DeadLetterReason expected, byte[] record) {
        MalformedNotificationException e = assertThrows(MalformedNotificationException.class,
                () -> ChangeNotificationCodec.parseCollection(record));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
