package com.teamsemergency.connector.errors;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.teamsemergency.connector.auth.SignInRequiredException;
import com.teamsemergency.connector.auth.TokenCacheVault.SealedCacheUnreadableException;
import com.teamsemergency.connector.graph.GraphClient;
import com.teamsemergency.connector.graph.GraphException;

/** The one place that decides whether a failure from Entra ID, Graph or the network is retried, asks for a new
 * sign-in, or fails the task. */
public final class ErrorClassifier {

    /** OAuth errors after which only a person signing in again helps (ENTRA v2-oauth2-device-code, refresh-tokens). */
    private static final Set<String> SIGN_IN_AGAIN_CODES = Set.of("invalid_grant", "interaction_required",
            "authorization_declined", "access_denied", "expired_token", "code_expired", "slow_down",
            "bad_verification_code", "consent_required", "login_required", "cache_miss");

    /** OAuth errors that describe the app registration, not the person: no new prompt can fix them. */
    private static final Set<String> PERMANENT_CODES = Set.of("invalid_client", "unauthorized_client",
            "invalid_scope", "unsupported_grant_type", "invalid_request");

    private ErrorClassifier() {
    }

    public static Disposition classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof GraphException graph) {
            return classifyStatus(graph.status());
        }
        if (cause instanceof GraphClient.GraphUnreachableException) {
            return Disposition.TRANSIENT;
        }
        if (cause instanceof SealedCacheUnreadableException || cause instanceof SignInRequiredException
                || cause instanceof MsalInteractionRequiredException) {
            return Disposition.SIGN_IN_AGAIN;
        }
        if (cause instanceof MsalServiceException msal) {
            String code = msal.errorCode() == null ? "" : msal.errorCode();
            if (SIGN_IN_AGAIN_CODES.contains(code)) {
                return Disposition.SIGN_IN_AGAIN;
            }
            if (PERMANENT_CODES.contains(code)) {
                return Disposition.PERMANENT;
            }
            Integer status = msal.statusCode();
            return status == null ? Disposition.TRANSIENT : classifyStatus(status);
        }
        if (cause instanceof MsalClientException msal) {
            // code_expired is raised by msal4j itself when the device code ran out while polling.
            return SIGN_IN_AGAIN_CODES.contains(msal.errorCode()) ? Disposition.SIGN_IN_AGAIN : Disposition.TRANSIENT;
        }
        if (cause instanceof HttpTimeoutException || cause instanceof IOException
                || cause instanceof TimeoutException) {
            return Disposition.TRANSIENT;
        }
        return Disposition.PERMANENT;
    }

    /** Graph and token endpoint statuses: 401 means the token is refused, 408/429/5xx pass, other 4xx stay. */
    public static Disposition classifyStatus(int status) {
        if (status == 401) {
            return Disposition.SIGN_IN_AGAIN;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Disposition.TRANSIENT;
        }
        return Disposition.PERMANENT;
    }

    /** The OAuth error code of a sign-in failure, or a short name of the failure's kind. */
    public static String reason(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof com.microsoft.aad.msal4j.MsalException msal && msal.errorCode() != null) {
            return msal.errorCode();
        }
        if (cause instanceof GraphException graph) {
            return "graph_" + graph.status();
        }
        if (cause instanceof SignInRequiredException) {
            return "no_account";
        }
        return cause.getClass().getSimpleName();
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
