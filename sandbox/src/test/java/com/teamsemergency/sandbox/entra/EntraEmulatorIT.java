package com.teamsemergency.sandbox.entra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

/** The Entra ID emulator's device code and refresh token grants, spoken to as RFC 8628 describes, over HTTPS. */
class EntraEmulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "0f0e0d0c-0b0a-4908-8706-050403020100";

    @TempDir
    static Path dir;

    private static EntraEmulator entra;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        SelfSignedCertificate tls = SelfSignedCertificate.create(dir, "entra", "changeit-entra".toCharArray());
        entra = EntraEmulator.start(tls.serverContext(), EntraEmulator.defaultUser());
        http = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterAll
    static void stop() {
        entra.close();
    }

    @Test
    void deviceCodeIsPendingUntilApprovedThenGivesTokensForTheGraphScopesOnly() throws Exception {
        JsonNode code = post("devicecode", Map.of("client_id", CLIENT,
                "scope", "User.Read Chat.Read openid offline_access profile"));
        String deviceCode = code.path("device_code").asText();
        assertEquals(900, code.path("expires_in").asInt());
        assertTrue(code.path("verification_uri").asText().startsWith(entra.authorityHost()));

        JsonNode pending = post("token", Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", CLIENT, "device_code", deviceCode));
        assertEquals("authorization_pending", pending.path("error").asText());

        assertTrue(entra.approve(code.path("user_code").asText()));
        JsonNode tokens = post("token", Map.of("grant_type", "device_code", "client_id", CLIENT,
                "device_code", deviceCode));
        assertEquals("User.Read Chat.Read", tokens.path("scope").asText());
        assertTrue(entra.userOf(tokens.path("access_token").asText()).isPresent());
        JsonNode clientInfo = JSON.readTree(Base64.getUrlDecoder().decode(tokens.path("client_info").asText()));
        assertEquals(entra.user().objectId(), clientInfo.path("uid").asText());
        assertEquals(entra.tenantId(), clientInfo.path("utid").asText());

        JsonNode again = post("token", Map.of("grant_type", "device_code", "client_id", CLIENT,
                "device_code", deviceCode));
        assertEquals("invalid_grant", again.path("error").asText(), "a device code is redeemed once");
    }

    @Test
    void declinedSlowDownAndUnknownCodesAnswerTheirErrors() throws Exception {
        JsonNode code = post("devicecode", Map.of("client_id", CLIENT, "scope", "User.Read"));
        Map<String, String> poll = Map.of("grant_type", "device_code", "client_id", CLIENT,
                "device_code", code.path("device_code").asText());
        entra.slowDownNext();
        assertEquals("slow_down", post("token", poll).path("error").asText());
        assertTrue(entra.decline(code.path("user_code").asText()));
        assertEquals("authorization_declined", post("token", poll).path("error").asText());
        assertEquals("bad_verification_code", post("token", Map.of("grant_type", "device_code",
                "client_id", CLIENT, "device_code", "nonsense")).path("error").asText());
    }

    @Test
    void revokedRefreshTokensAnswerInvalidGrantAndTheirAccessTokensStopWorking() throws Exception {
        JsonNode code = post("devicecode", Map.of("client_id", CLIENT, "scope", "User.Read offline_access"));
        entra.approve(code.path("user_code").asText());
        JsonNode tokens = post("token", Map.of("grant_type", "device_code", "client_id", CLIENT,
                "device_code", code.path("device_code").asText()));
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", CLIENT,
                "refresh_token", tokens.path("refresh_token").asText(), "scope", "User.Read");
        assertFalse(post("token", refresh).path("access_token").asText().isEmpty());

        entra.revokeRefreshTokens();
        assertEquals("invalid_grant", post("token", refresh).path("error").asText());
        assertTrue(entra.userOf(tokens.path("access_token").asText()).isEmpty());
    }

    private static JsonNode post(String endpoint, Map<String, String> form) throws Exception {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(entra.authorityHost() + "/" + entra.tenantId()
                        + "/oauth2/v2.0/" + endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
