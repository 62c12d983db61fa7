package com.teamsemergency.sandbox.graphside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.sandbox.connect.EmbeddedConnect;
import com.teamsemergency.sandbox.graph.GraphEmulator;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;

/**
 * The Graph chat connector deployed over REST on an in-process Connect worker, against the Entra ID and Graph
 * emulators and one broker shared by the whole class.
 */
class GraphSideIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;
    private static GraphSide.Certificates certificates;

    @TempDir
    static Path work;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        certificates = GraphSide.Certificates.create(work.resolve("certificates"));
    }

    private static GraphSide.Options options() {
        return GraphSide.Options.defaults().withCertificates(certificates);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Path dir() {
        return work.resolve(UUID.randomUUID().toString());
    }

    @Test
    void signsInWithTheDeviceCodeAndCreatesTheSubscriptionGraphWants() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(), options())) {
            GraphEmulator.Subscription s = side.graph().subscriptions().get(0);
            assertEquals(1, side.graph().subscriptions().size());
            assertEquals("/me/chats/getAllMessages", s.resource());
            assertEquals("created,updated", s.changeType());
            assertEquals("EventHub:https://sandbox.servicebus.windows.net/eventhubname/graph-notifications?tenantId="
                    + side.entra().tenantId(), s.notificationUrl());
            assertEquals(s.notificationUrl(), s.lifecycleNotificationUrl());
            assertTrue(s.includeResourceData());
            assertEquals(GraphSide.CERTIFICATE_ID, s.encryptionCertificateId());
            assertEquals(side.notificationKey().base64Certificate(), s.encryptionCertificate());
            assertEquals(side.clientState(), s.clientState());
            assertTrue(s.expiresAt().isAfter(Instant.now().plus(Duration.ofHours(71))), "lifetime near 3 days");

            // The person saw a prompt on the status topic before signing in, then the signed-in state.
            List<JsonNode> status = awaitStatus(side, n -> "SIGNED_IN".equals(n.path("signIn").asText())
                    && s.id().equals(n.path("subscription").path("id").asText()));
            assertTrue(status.stream().anyMatch(n -> "SIGN_IN_PENDING".equals(n.path("signIn").asText())
                    && !n.path("prompt").path("userCode").asText().isEmpty()
                    && n.path("prompt").path("verificationUri").asText().startsWith("https://127.0.0.1:")));
            assertFalse(status.toString().contains(side.clientState()), "no secret in status records");

            // Graph's Validation: event and, after a call, an encrypted notification reach the Event Hub.
            ObjectNode call = side.graph().simulateEmergencyCall("Dana Whitfield", null, "911",
                    "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US");
            List<String> events = awaitEventHub(side, values -> values.stream()
                    .anyMatch(v -> v.contains("encryptedContent") && v.contains(s.id())));
            assertTrue(events.stream().anyMatch(v -> v.contains("\"changeType\":\"Validation:")));
            assertFalse(events.stream().anyMatch(v -> v.contains(call.path("body").path("content").asText())),
                    "the message travels encrypted");
        }
    }

    @Test
    void slowDownDeclineAndExpiryEachLeadToANewPromptSayingWhy() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(), options().withApproveSignIn(false))) {
            Set<String> seen = new HashSet<>();
            awaitNewPrompt(side, seen);
            side.entra().slowDownNext();
            String second = awaitNewPrompt(side, seen);

            side.entra().deviceCodeLifetime(Duration.ofSeconds(3));
            assertTrue(side.entra().decline(second));
            awaitNewPrompt(side, seen);
            side.entra().deviceCodeLifetime(Duration.ofMinutes(15));
            String fourth = awaitNewPrompt(side, seen);

            assertTrue(side.entra().approve(fourth));
            side.awaitSubscription(s -> true, WAIT);
            List<JsonNode> status = awaitStatus(side, n -> "SIGNED_IN".equals(n.path("signIn").asText()));
            for (String why : List.of("poll more slowly", "declined", "expired")) {
                assertTrue(status.stream().anyMatch(n -> "SIGN_IN_PENDING".equals(n.path("signIn").asText())
                        && n.path("signInReason").asText().contains(why)), "a prompt saying " + why);
            }
            assertEquals(4, side.entra().deviceCodeRequests());
            assertFalse(side.connect().connectorStatusJson(side.connectorName()).contains("FAILED"));
        }
    }

    /** Waits for a prompt not seen before; Entra keeps abandoned codes pending until they expire. */
    private static String awaitNewPrompt(GraphSide side, Set<String> seen) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var pending : side.entra().pendingSignIns()) {
                if (seen.add(pending.userCode())) {
                    return pending.userCode();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("no new sign-in prompt within " + WAIT);
    }

    @Test
    void aGraphThatAllowsOnlyOneHourGetsASubscriptionOfOneHour() {
        try (GraphSide side = GraphSide.start(kafka, dir(), options().withApproveSignIn(false))) {
            side.graph().maxLifetimeMinutes(60);
            side.approvePendingSignIn(WAIT);
            GraphEmulator.Subscription s = side.awaitSubscription(x -> true, WAIT);
            assertTrue(s.expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(61))), s.expiresAt().toString());
            assertTrue(side.graph().requests().stream().anyMatch(r -> r.method().equals("POST")
                    && r.path().endsWith("/subscriptions") && r.status() == 400), "the 3-day request was refused");
        }
    }

    @Test
    void refreshesShortLivedAccessTokensSilently() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(), options().withApproveSignIn(false)
                .withReconciliationInterval(Duration.ofSeconds(1)))) {
            // msal4j refreshes within five minutes of expiry: every token of this lifetime is due at once.
            side.entra().accessTokenLifetime(Duration.ofMinutes(2));
            side.approvePendingSignIn(WAIT);
            side.awaitSubscription(s -> true, WAIT);
            int afterSignIn = side.entra().tokenRequests();
            awaitTrue(() -> side.entra().tokenRequests() >= afterSignIn + 2, "refresh token redeemed again");
            awaitStatus(side, n -> n.path("reconciliation").path("runs").asInt() >= 3);
            assertEquals(1, side.entra().deviceCodeRequests(), "no new prompt");
            assertFalse(side.connect().connectorStatusJson(side.connectorName()).contains("FAILED"));
        }
    }

    @Test
    void aRefusedRenewalIsRetriedWithTheNotificationUrlThenReplaced() {
        try (GraphSide side = GraphSide.start(kafka, dir(), options().withRenewalInterval(Duration.ofSeconds(2))
                .withReconciliationInterval(Duration.ofMinutes(5)))) {
            String id = side.graph().subscriptions().get(0).id();
            long before = patches(side, id);
            side.graph().refuseRenewals(1);
            awaitTrue(() -> patches(side, id) > before, "renewed on the second PATCH");
            assertEquals(id, side.graph().subscriptions().get(0).id());

            side.graph().refuseRenewals(2);
            GraphEmulator.Subscription replacement = side.awaitSubscription(s -> !s.id().equals(id), WAIT);
            assertEquals(1, side.graph().subscriptions().size(), "the refused one was deleted");
            assertTrue(side.graph().requests().stream().anyMatch(r -> r.method().equals("DELETE")
                    && r.path().endsWith(id)));
            assertNotEquals(id, replacement.id());
        }
    }

    @Test
    void renewsTheSubscriptionOnItsTimer() {
        GraphSide.Options options = options().withRenewalInterval(Duration.ofSeconds(2))
                .withReconciliationInterval(Duration.ofMinutes(5));
        try (GraphSide side = GraphSide.start(kafka, dir(), options)) {
            String id = side.graph().subscriptions().get(0).id();
            awaitTrue(() -> patches(side, id) >= 2, "two renewals");
            assertEquals(1, side.graph().subscriptions().size());
            assertEquals(id, side.graph().subscriptions().get(0).id());
        }
    }

    @Test
    void taskRestartReusesTokensAndSubscription() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(), options())) {
            String id = side.graph().subscriptions().get(0).id();
            // The sealed token cache travels in the source offset; wait until Connect has stored one with it.
            awaitStatus(side, n -> "tokens-stored".equals(n.path("event").asText())
                    || "SIGNED_IN".equals(n.path("signIn").asText()));
            Thread.sleep(3_000);
            int requestsBefore = side.graph().requests().size();

            side.connect().restartConnector(side.connectorName(), true);
            side.connect().awaitConnectorRunning(side.connectorName(), WAIT);
            awaitTrue(() -> side.graph().requests().stream().skip(requestsBefore)
                    .anyMatch(r -> r.method().equals("PATCH") && r.path().endsWith(id) && r.status() == 200),
                    "the restarted task renews the subscription it adopted");

            assertEquals(1, side.entra().deviceCodeRequests(), "no second sign-in prompt");
            assertTrue(side.entra().pendingSignIns().isEmpty());
            assertEquals(1, side.graph().subscriptions().size(), "no second subscription");
            assertEquals(id, side.graph().subscriptions().get(0).id());
            assertFalse(side.graph().requests().stream().skip(requestsBefore)
                    .anyMatch(r -> r.method().equals("POST") && r.path().endsWith("/subscriptions")));
        }
    }

    @Test
    void droppedNotificationIsRecoveredByReconciliation() throws Exception {
        Duration interval = Duration.ofSeconds(10);
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(interval))) {
            side.graph().dropNotifications(true);
            // Post after the start-up reconciliation, so that the wait measured is that of the timer.
            awaitStatus(side, n -> n.path("reconciliation").path("runs").asInt() >= 1);
            Instant posted = Instant.now();
            ObjectNode call = side.graph().simulateEmergencyCall("Dana Whitfield", null, "911",
                    "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US");
            String key = call.path("chatId").asText() + "/" + call.path("id").asText();

            ConsumerRecord<String, String> record = awaitRecord(GraphSide.CHAT_MESSAGES_TOPIC,
                    r -> key.equals(r.key()));
            Duration latency = Duration.between(posted, Instant.ofEpochMilli(record.timestamp()));
            System.out.printf("Dropped notification: chatMessage %s on %s after %d ms (reconciliation every %d s)%n",
                    key, GraphSide.CHAT_MESSAGES_TOPIC, latency.toMillis(), interval.toSeconds());
            JsonNode message = JSON.readTree(record.value());
            assertEquals(call.path("body").path("content").asText(), message.path("body").path("content").asText());
            assertEquals(call.path("chatId").asText(), message.path("chatId").asText());
        }
    }

    @Test
    void revokedRefreshTokenLeadsToANewPromptAndThenAWorkingSubscription() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofSeconds(2)))) {
            side.entra().revokeRefreshTokens();
            side.approvePendingSignIn(WAIT);
            List<JsonNode> status = awaitStatus(side, n -> "SIGN_IN_PENDING".equals(n.path("signIn").asText())
                    && n.path("signInReason").asText().contains("refresh token was refused"));
            assertFalse(status.isEmpty());
            assertEquals(2, side.entra().deviceCodeRequests());

            // Signed in again, the task works: a dropped notification's message still arrives.
            side.graph().dropNotifications(true);
            ObjectNode call = side.graph().simulateEmergencyCall("Avery Stone", null, "911", "Building 7");
            String key = call.path("chatId").asText() + "/" + call.path("id").asText();
            awaitRecord(GraphSide.CHAT_MESSAGES_TOPIC, r -> key.equals(r.key()));
            assertEquals(1, side.graph().subscriptions().size());
        }
    }

    @Test
    void subscriptionRemovedOnTheControlTopicLeadsToANewSubscription() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofMinutes(5)))) {
            String old = side.graph().subscriptions().get(0).id();
            side.graph().removeSubscription(old, true);
            String lifecycle = "{\"value\":[{\"subscriptionId\":\"" + old + "\",\"lifecycleEvent\":"
                    + "\"subscriptionRemoved\",\"tenantId\":\"" + side.entra().tenantId() + "\"}]}";
            produce(GraphSide.CONTROL_TOPIC, old, lifecycle);
            GraphEmulator.Subscription fresh = side.awaitSubscription(s -> !s.id().equals(old), WAIT);
            assertNotEquals(old, fresh.id());
            assertEquals(1, side.graph().subscriptions().size());
        }
    }

    @Test
    void aConfigurationWithoutItsCertificateIsRefusedWithTheReason() {
        try (GraphSide side = GraphSide.start(kafka, dir(), options())) {
            Map<String, String> config = new HashMap<>(side.connectorConfig());
            config.put("subscription.encryption.certificate", "/nonexistent/notifications.cert.pem");
            EmbeddedConnect.ConnectRestException refused = assertThrows(EmbeddedConnect.ConnectRestException.class,
                    () -> side.connect().putConnectorConfig("graph-chat-broken", config));
            assertTrue(refused.body().contains("cannot read certificate file"), refused.body());
        }
    }

    @Test
    void aNewEventHubTakesOverTheExistingSubscriptionAfterGraphAnswers409() {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofMinutes(5)))) {
            GraphEmulator.Subscription before = side.graph().subscriptions().get(0);
            String newHub = before.notificationUrl().replace("/graph-notifications?", "/graph-notifications-2?");
            Map<String, String> config = new HashMap<>(side.connectorConfig());
            config.put("subscription.notification.url", newHub);
            config.put("subscription.lifecycle.notification.url", before.lifecycleNotificationUrl());
            side.connect().putConnectorConfig(side.connectorName(), config);

            GraphEmulator.Subscription after = side.awaitSubscription(s -> s.notificationUrl().equals(newHub), WAIT);
            assertEquals(before.id(), after.id(), "adopted, not replaced");
            assertEquals(1, side.graph().subscriptions().size());
            assertTrue(side.graph().requests().stream().anyMatch(r -> r.status() == 409));
        }
    }

    @Test
    void overQuotaFailsTheTaskWithAMessageSayingWhatToDo() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofMinutes(5)))) {
            String old = side.graph().subscriptions().get(0).id();
            side.graph().subscriptionQuota(0);
            side.graph().removeSubscription(old, true);
            produce(GraphSide.CONTROL_TOPIC, old, "{\"subscriptionId\":\"" + old + "\",\"lifecycleEvent\":"
                    + "\"subscriptionRemoved\"}");
            awaitTrue(() -> side.connect().connectorStatusJson(side.connectorName()).contains("FAILED"),
                    "the task fails");
            String status = side.connect().connectorStatusJson(side.connectorName());
            assertTrue(status.contains("limit of 10 subscriptions"), status);
            assertTrue(status.contains("GET /v1.0/subscriptions"), status);
        }
    }

    @Test
    void reauthorizationRequiredOnTheControlTopicReauthorizesAndRenewsAtOnce() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofMinutes(5)))) {
            String id = side.graph().subscriptions().get(0).id();
            produce(GraphSide.CONTROL_TOPIC, id, "{\"value\":[{\"subscriptionId\":\"" + id + "\","
                    + "\"lifecycleEvent\":\"reauthorizationRequired\"}]}");
            awaitTrue(() -> side.graph().requests().stream().anyMatch(r -> r.method().equals("POST")
                    && r.path().endsWith(id + "/reauthorize") && r.status() == 204), "reauthorized");
            awaitTrue(() -> patches(side, id) >= 1, "renewed");
        }
    }

    @Test
    void notificationWithoutResourceDataMakesTheTaskFetchTheMessage() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofMinutes(5)))) {
            String id = side.graph().subscriptions().get(0).id();
            awaitStatus(side, n -> n.path("reconciliation").path("runs").asInt() >= 1);
            side.graph().dropNotifications(true);
            ObjectNode call = side.graph().simulateEmergencyCall("Kim Laurent", null, "112", "Floor 9");
            String chatId = call.path("chatId").asText();
            String messageId = call.path("id").asText();
            // What the Streams application forwards when Graph sent a notification without encryptedContent.
            produce(GraphSide.CONTROL_TOPIC, id, "{\"subscriptionId\":\"" + id + "\",\"changeType\":\"created\","
                    + "\"resource\":\"chats('" + chatId + "')/messages('" + messageId + "')\","
                    + "\"resourceData\":{\"id\":\"" + messageId + "\"}}");
            ConsumerRecord<String, String> record = awaitRecord(GraphSide.CHAT_MESSAGES_TOPIC,
                    r -> (chatId + "/" + messageId).equals(r.key()));
            assertEquals(call.path("body").path("content").asText(),
                    JSON.readTree(record.value()).path("body").path("content").asText());
            assertTrue(side.graph().requests().stream().anyMatch(r -> r.path().endsWith("/messages/" + messageId)));
        }
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() throws Exception {
        try (GraphSide side = GraphSide.start(kafka, dir(),
                options().withReconciliationInterval(Duration.ofSeconds(2)))) {
            side.graph().dropNotifications(true);
            side.graph().failNext(3, 429, Duration.ofSeconds(1));
            ObjectNode call = side.graph().simulateEmergencyCall("Robin Vale", null, "911", "Lobby");
            String key = call.path("chatId").asText() + "/" + call.path("id").asText();
            awaitRecord(GraphSide.CHAT_MESSAGES_TOPIC, r -> key.equals(r.key()));
            assertTrue(side.graph().requests().stream().filter(r -> r.status() == 429).count() >= 3);
            String status = side.connect().connectorStatusJson(side.connectorName());
            assertFalse(status.contains("FAILED"), status);
        }
    }

    private static long patches(GraphSide side, String id) {
        return side.graph().requests().stream()
                .filter(r -> r.method().equals("PATCH") && r.path().endsWith(id) && r.status() == 200).count();
    }

    /** Status records of this test's connector (the topic is shared by the class), until one matches. */
    private static List<JsonNode> awaitStatus(GraphSide side, Predicate<JsonNode> until) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        long since = side.startedAt().toEpochMilli();
        awaitRecord(GraphSide.STATUS_TOPIC, r -> {
            if (r.timestamp() < since) {
                return false;
            }
            try {
                JsonNode node = JSON.readTree(r.value());
                seen.add(node);
                return until.test(node);
            } catch (Exception e) {
                return false;
            }
        });
        return seen;
    }

    private static ConsumerRecord<String, String> awaitRecord(String topic,
                                                              Predicate<ConsumerRecord<String, String>> match) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + WAIT);
    }

    private static List<String> awaitEventHub(GraphSide side, Predicate<List<String>> until) {
        Properties props = new Properties();
        props.putAll(kafka.eventHubClientProperties());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(side.eventHubTopic()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                if (until.test(values)) {
                    return values;
                }
            }
        }
        throw new AssertionError("Event Hub did not get the expected events within " + WAIT + ": " + values.size());
    }

    private static void produce(String topic, String key, String value) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }
}
