package com.teamsemergency.sandbox.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.sandbox.entra.EntraEmulator;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

/** The Graph emulator applies Graph's own checks to subscriptions and serves chats and messages. */
class GraphEmulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HUB = "EventHub:https://ns.servicebus.windows.net/eventhubname/graph-notifications"
            + "?tenantId=contoso.example";

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static EntraEmulator entra;
    private static GraphEmulator graph;
    private static HttpClient http;
    private static String token;
    private static SelfSignedCertificate notificationKey;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        kafka.createTopic("graph-notifications", 1, java.util.Map.of());
        SelfSignedCertificate tls = SelfSignedCertificate.create(dir, "graph", "changeit-graph".toCharArray());
        notificationKey = SelfSignedCertificate.createNotificationKey(dir, "key-1", "changeit-graph".toCharArray());
        entra = EntraEmulator.start(tls.serverContext(), EntraEmulator.defaultUser());
        graph = GraphEmulator.start(tls.serverContext(), entra, kafka.eventHubClientProperties());
        http = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        token = signIn();
    }

    @AfterAll
    static void stop() {
        graph.close();
        entra.close();
        kafka.close();
    }

    @AfterEach
    void removeSubscriptions() {
        graph.subscriptions().forEach(s -> graph.removeSubscription(s.id(), false));
    }

    @Test
    void createsASubscriptionAndRefusesADuplicateWith409() throws Exception {
        assertEquals(201, send("POST", "/subscriptions", subscription(4320)).statusCode());
        HttpResponse<String> duplicate = send("POST", "/subscriptions", subscription(4320));
        assertEquals(409, duplicate.statusCode());
        assertEquals(1, graph.subscriptions().size());
    }

    @Test
    void refusesALifetimeBeyondThreeDays() throws Exception {
        HttpResponse<String> answer = send("POST", "/subscriptions", subscription(4330));
        assertEquals(400, answer.statusCode());
        assertTrue(answer.body().contains("expiration"), answer.body());
    }

    @Test
    void needsALifecycleUrlAboveOneHour() throws Exception {
        ObjectNode body = subscription(120);
        body.remove("lifecycleNotificationUrl");
        assertEquals(400, send("POST", "/subscriptions", body).statusCode());
        body.put("expirationDateTime", Instant.now().plus(Duration.ofMinutes(50)).toString());
        assertEquals(201, send("POST", "/subscriptions", body).statusCode());
    }

    @Test
    void needsACertificateForResourceData() throws Exception {
        ObjectNode body = subscription(60);
        body.remove("encryptionCertificate");
        assertEquals(400, send("POST", "/subscriptions", body).statusCode());
    }

    @Test
    void renewsAndDeletes() throws Exception {
        String id = JSON.readTree(send("POST", "/subscriptions", subscription(60)).body()).path("id").asText();
        ObjectNode renewal = JSON.createObjectNode()
                .put("expirationDateTime", Instant.now().plus(Duration.ofMinutes(4000)).toString());
        assertEquals(200, send("PATCH", "/subscriptions/" + id, renewal).statusCode());
        assertTrue(graph.subscriptions().get(0).expiresAt().isAfter(Instant.now().plus(Duration.ofMinutes(3900))));
        assertEquals(204, send("DELETE", "/subscriptions/" + id, null).statusCode());
        assertEquals(404, send("PATCH", "/subscriptions/" + id, renewal).statusCode());
    }

    @Test
    void refusesMissingOrRevokedTokens() throws Exception {
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(graph.baseUrl() + "/me")).GET().build();
        assertEquals(401, http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void answersThrottlingWithRetryAfter() throws Exception {
        graph.failNext(1, 429, Duration.ofSeconds(7));
        HttpResponse<String> throttled = send("GET", "/me", null);
        assertEquals(429, throttled.statusCode());
        assertEquals("7", throttled.headers().firstValue("Retry-After").orElse(""));
        assertEquals(200, send("GET", "/me", null).statusCode());
    }

    @Test
    void servesTheEmergencyMessageInTheFixturesWording() throws Exception {
        ObjectNode posted = graph.simulateEmergencyCall("Dana Whitfield", null, "911",
                "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US", "+1 217 555 0142");
        String chatId = posted.path("chatId").asText();
        JsonNode fetched = JSON.readTree(send("GET", "/chats/" + encode(chatId) + "/messages/"
                + posted.path("id").asText(), null).body());
        assertEquals("<p><strong>Dana Whitfield</strong> has placed an Emergency Call to 911.</p><p>Location: "
                + "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US</p><p>Callback number: "
                + "+1 217 555 0142</p>", fetched.path("body").path("content").asText());
        JsonNode chats = JSON.readTree(send("GET", "/me/chats?$expand=lastMessagePreview&$top=5", null).body());
        assertEquals(chatId, chats.path("value").get(0).path("id").asText());
        JsonNode recent = JSON.readTree(send("GET", "/chats/" + encode(chatId) + "/messages?$filter="
                + encode("lastModifiedDateTime gt " + Instant.now().minusSeconds(60)), null).body());
        assertEquals(1, recent.path("value").size());
    }

    private static ObjectNode subscription(int minutes) {
        ObjectNode body = JSON.createObjectNode();
        body.put("changeType", "created,updated");
        body.put("notificationUrl", HUB);
        body.put("lifecycleNotificationUrl", HUB);
        body.put("resource", "/me/chats/getAllMessages");
        body.put("expirationDateTime", Instant.now().plus(Duration.ofMinutes(minutes)).toString());
        body.put("clientState", "client-state-for-tests");
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", notificationKey.base64Certificate());
        body.put("encryptionCertificateId", "key-1");
        return body;
    }

    private static HttpResponse<String> send(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(graph.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signIn() throws Exception {
        String client = "0f0e0d0c-0b0a-4908-8706-050403020100";
        JsonNode code = form("devicecode", "client_id=" + client + "&scope=" + encode("Chat.Read offline_access"));
        entra.approve(code.path("user_code").asText());
        return form("token", "grant_type=device_code&client_id=" + client + "&device_code="
                + encode(code.path("device_code").asText())).path("access_token").asText();
    }

    private static JsonNode form(String endpoint, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(entra.authorityHost() + "/" + entra.tenantId()
                        + "/oauth2/v2.0/" + endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
