package com.teamsemergency.connector.graph;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.connector.errors.Disposition;
import com.teamsemergency.connector.errors.ErrorClassifier;

/**
 * The few Microsoft Graph v1.0 calls the connector makes, over the JDK's HTTP client, answering raw JSON.
 *
 * <p>Raw JSON rather than the Graph SDK's models because the connector forwards each {@code chatMessage} exactly
 * as Graph sent it; a model round trip would drop what the model does not know. 429, 5xx and network errors are
 * retried here, honouring {@code Retry-After}; what is still failing after the configured attempts is thrown.
 */
public class GraphClient {

    private static final Logger log = LoggerFactory.getLogger(GraphClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY_PAUSE = Duration.ofMinutes(2);

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final Supplier<String> accessToken;

    public GraphClient(String baseUrl, SSLContext tls, Duration timeout, int maxAttempts,
                       Supplier<String> accessToken) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.accessToken = accessToken;
    }

    public JsonNode me() {
        return send("GET", "/me", null);
    }

    public List<JsonNode> listSubscriptions() {
        return collect("/subscriptions");
    }

    public JsonNode createSubscription(ObjectNode body) {
        return send("POST", "/subscriptions", body);
    }

    public JsonNode getSubscription(String id) {
        return send("GET", "/subscriptions/" + encode(id), null);
    }

    public JsonNode patchSubscription(String id, ObjectNode body) {
        return send("PATCH", "/subscriptions/" + encode(id), body);
    }

    public void deleteSubscription(String id) {
        send("DELETE", "/subscriptions/" + encode(id), null);
    }

    public void reauthorizeSubscription(String id) {
        send("POST", "/subscriptions/" + encode(id) + "/reauthorize", JSON.createObjectNode());
    }

    /** The user's chats, most recent activity first, with the last message's preview. */
    public List<JsonNode> recentChats(int top) {
        JsonNode page = send("GET", "/me/chats?$top=" + top + "&$expand=lastMessagePreview&$orderby="
                + encode("lastMessagePreview/createdDateTime desc"), null);
        List<JsonNode> chats = new ArrayList<>();
        page.path("value").forEach(chats::add);
        return chats;
    }

    /** Messages of a chat last modified after {@code since}, newest first, following next links. */
    public List<JsonNode> messagesModifiedSince(String chatId, Instant since) {
        return collect("/chats/" + encode(chatId) + "/messages?$top=50&$orderby="
                + encode("lastModifiedDateTime desc") + "&$filter="
                + encode("lastModifiedDateTime gt " + since.truncatedTo(ChronoUnit.MILLIS)));
    }

    public JsonNode message(String chatId, String messageId) {
        return send("GET", "/chats/" + encode(chatId) + "/messages/" + encode(messageId), null);
    }

    private List<JsonNode> collect(String firstPath) {
        List<JsonNode> items = new ArrayList<>();
        String next = firstPath;
        int pages = 0;
        while (next != null && pages++ < 20) {
            JsonNode page = send("GET", next, null);
            page.path("value").forEach(items::add);
            JsonNode link = page.get("@odata.nextLink");
            next = link == null || link.isNull() ? null : link.asText();
        }
        return items;
    }

    private JsonNode send(String method, String pathOrUrl, JsonNode body) {
        URI uri = URI.create(pathOrUrl.startsWith("https://") ? pathOrUrl : baseUrl + pathOrUrl);
        String label = method + " " + uri.getPath();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request(method, uri, body),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body() == null || response.body().isBlank()
                            ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
                GraphException error = error(method, uri.getPath(), response);
                if (ErrorClassifier.classifyStatus(status) != Disposition.TRANSIENT || attempt >= maxAttempts) {
                    throw error;
                }
                Duration pause = error.retryAfter().orElse(backoff(attempt));
                log.warn("{} answered {}, attempt {} of {}; retrying in {} ms", label, status, attempt, maxAttempts,
                        pause.toMillis());
                sleep(pause);
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new GraphUnreachableException(label + " failed after " + attempt + " attempts: " + e, e);
                }
                log.warn("{} failed ({}), attempt {} of {}", label, e.toString(), attempt, maxAttempts);
                sleep(backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GraphUnreachableException(label + " interrupted", e);
            }
        }
    }

    private HttpRequest request(String method, URI uri, JsonNode body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + accessToken.get())
                .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return builder.build();
    }

    private static GraphException error(String method, String path, HttpResponse<String> response) {
        String code = null;
        String message = null;
        try {
            JsonNode error = JSON.readTree(response.body() == null ? "{}" : response.body()).path("error");
            code = error.path("code").asText(null);
            message = error.path("message").asText(null);
        } catch (IOException ignored) {
            // A non-JSON error body (a proxy's HTML page) still has a status worth reporting.
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(GraphClient::seconds).orElse(null);
        return new GraphException(method, path, response.statusCode(), code, message, retryAfter);
    }

    private static java.util.Optional<Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            Duration d = Duration.ofSeconds(Math.max(0, s));
            return java.util.Optional.of(d.compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : d);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static Duration backoff(int attempt) {
        long millis = Math.min(30_000L, 500L << Math.min(attempt, 6));
        return Duration.ofMillis(millis);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphUnreachableException("interrupted while waiting to retry", e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Graph could not be reached (network, TLS, timeout) even after retries. */
    public static class GraphUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GraphUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
