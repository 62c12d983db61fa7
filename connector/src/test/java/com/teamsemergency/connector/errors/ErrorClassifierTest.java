package com.teamsemergency.connector.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.teamsemergency.connector.auth.SignInRequiredException;
import com.teamsemergency.connector.graph.GraphException;

class ErrorClassifierTest {

    private static GraphException graph(int status) {
        return new GraphException("GET", "/me", status, "code", "message", Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void retriesThrottlingAndServerErrors(int status) {
        assertEquals(Disposition.TRANSIENT, ErrorClassifier.classify(graph(status)));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 409})
    void givesUpOnClientErrors(int status) {
        assertEquals(Disposition.PERMANENT, ErrorClassifier.classify(graph(status)));
    }

    @Test
    void asksForSignInWhenGraphRefusesTheToken() {
        assertEquals(Disposition.SIGN_IN_AGAIN, ErrorClassifier.classify(graph(401)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_grant", "authorization_declined", "access_denied", "expired_token",
        "slow_down", "interaction_required"})
    void asksForSignInOnOAuthErrorsAPersonCanFix(String code) {
        MsalServiceException e = new MsalServiceException("refused", code);
        assertEquals(Disposition.SIGN_IN_AGAIN, ErrorClassifier.classify(new ExecutionException(e)));
        assertEquals(code, ErrorClassifier.reason(new CompletionException(e)));
    }

    @Test
    void asksForSignInWhenTheDeviceCodeRanOut() {
        assertEquals(Disposition.SIGN_IN_AGAIN,
                ErrorClassifier.classify(new MsalClientException("Expired Device code", "code_expired")));
    }

    @Test
    void asksForSignInWithoutAnAccount() {
        assertEquals(Disposition.SIGN_IN_AGAIN, ErrorClassifier.classify(new SignInRequiredException("none")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "unauthorized_client", "invalid_scope"})
    void failsOnAppRegistrationErrors(String code) {
        assertEquals(Disposition.PERMANENT, ErrorClassifier.classify(new MsalServiceException("bad", code)));
    }

    @Test
    void retriesNetworkFailures() {
        assertEquals(Disposition.TRANSIENT, ErrorClassifier.classify(new IOException("reset")));
        assertEquals(Disposition.TRANSIENT, ErrorClassifier.classify(new HttpTimeoutException("slow")));
        assertEquals(Disposition.TRANSIENT,
                ErrorClassifier.classify(new MsalClientException("timeout", "http_timeout")));
    }

    @Test
    void failsOnProgrammingErrors() {
        assertEquals(Disposition.PERMANENT, ErrorClassifier.classify(new IllegalStateException("bug")));
    }
}
