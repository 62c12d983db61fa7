package com.teamsemergency.connector.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.teamsemergency.connector.auth.SignInPrompt;

class ConnectorStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pendingSignInCarriesThePromptAndWhy() throws Exception {
        ConnectorStatus status = new ConnectorStatus("desk");
        status.signInPending(new SignInPrompt("https://microsoft.com/devicelogin", "ABCDEFGHJ",
                Instant.parse("2026-12-04T17:00:00Z"), "To sign in..."), "the previous sign-in was declined");
        JsonNode json = JSON.readTree(status.toJson());
        assertEquals("SIGN_IN_PENDING", json.path("signIn").asText());
        assertEquals("ABCDEFGHJ", json.path("prompt").path("userCode").asText());
        assertEquals("2026-12-04T17:00:00Z", json.path("prompt").path("expiresAt").asText());
        assertEquals("the previous sign-in was declined", json.path("signInReason").asText());
    }

    @Test
    void signingInClearsThePrompt() throws Exception {
        ConnectorStatus status = new ConnectorStatus("desk");
        status.signInPending(new SignInPrompt("u", "c", Instant.EPOCH, "m"), "first sign-in");
        status.signedIn("desk@contoso.example");
        JsonNode json = JSON.readTree(status.toJson());
        assertEquals("SIGNED_IN", json.path("signIn").asText());
        assertTrue(json.path("prompt").isMissingNode());
    }

    @Test
    void countsReconciliationsAndRemembersRenewals() throws Exception {
        ConnectorStatus status = new ConnectorStatus("desk");
        status.reconciled(2);
        status.reconciled(0);
        status.subscription("s1", Instant.parse("2026-12-07T00:00:00Z"), "renewed");
        JsonNode json = JSON.readTree(status.toJson());
        assertEquals(2, json.path("reconciliation").path("runs").asInt());
        assertEquals(2, json.path("reconciliation").path("messages").asInt());
        assertEquals(0, json.path("reconciliation").path("lastRunMessages").asInt());
        assertEquals("s1", json.path("subscription").path("id").asText());
        assertTrue(json.path("subscription").hasNonNull("lastRenewal"));
    }
}
