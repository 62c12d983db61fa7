package com.teamsemergency.sandbox.graph;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import com.teamsemergency.sandbox.entra.EntraEmulator;
import com.teamsemergency.sandbox.graph.encoding.NotificationEncoder;
import com.teamsemergency.sandbox.tls.LoopbackHttpsServer;

/**
 * A stand-in for the parts of Microsoft Graph v1.0 the connector uses, over HTTPS on 127.0.0.1: subscriptions with
 * Graph's own checks, {@code /me}, the user's chats and messages; and the delivery side: a simulated emergency call
 * posts the message and writes, for each matching subscription, the encrypted change notification into the Event Hub
 * named by the subscription's {@code notificationUrl}, through the SASL_SSL listener, as Graph would.
 *
 * <p>Bearer tokens are checked with the {@link EntraEmulator}. Switches drop notifications, make the next requests
 * fail with 429 or 503, and remove subscriptions, for tests of what the connector does when Graph misbehaves.
 */
public final class GraphEmulator implements AutoCloseable {

    /** A subscription as the emulator keeps it. */
    public record Subscription(String id, String resource, String changeType, String notificationUrl,
                               String lifecycleNotificationUrl, Instant expiresAt, String clientState,
                               boolean includeResourceData, String encryptionCertificate,
                               String encryptionCertificateId, String creatorId, Instant createdAt) {
        Subscription withExpiry(Instant at) {
            return new Subscription(id, resource, changeType, notificationUrl, lifecycleNotificationUrl, at,
                    clientState, includeResourceData, encryptionCertificate, encryptionCertificateId, creatorId,
                    createdAt);
        }

        Subscription withNotificationUrl(String url) {
            return new Subscription(id, resource, changeType, url, lifecycleNotificationUrl, expiresAt, clientState,
                    includeResourceData, encryptionCertificate, encryptionCertificateId, creatorId, createdAt);
        }
    }

    /** One call to the emulator's REST interface, for tests to count what the connector asked. */
    public record Request(String method, String path, int status, Instant at) {
    }

    private static final class Chat {
        final String id;
        final String topic;
        final Instant createdAt;
        final List<ObjectNode> messages = new CopyOnWriteArrayList<>();

        Chat(String id, String topic, Instant createdAt) {
            this.id = id;
            this.topic = topic;
            this.createdAt = createdAt;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GraphEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIFETIME_MINUTES = 4320;
    private static final int MAX_CHAT_SUBSCRIPTIONS_PER_USER = 10;
    private static final Pattern EVENT_HUB_URL =
            Pattern.compile("(?i)^EventHub:https://[^/]+/eventhubname/([^/?]+)\\?tenantId=.+$");
    private static final Pattern CHAT_MESSAGES = Pattern.compile("(?i)^/?chats/([^/]+)/messages$");
    private static final Pattern USER_ALL_MESSAGES = Pattern.compile("(?i)^/?users/([^/]+)/chats/getAllMessages$");

    private final HttpsServer server;
    private final ExecutorService executor;
    private final EntraEmulator entra;
    private final KafkaProducer<byte[], byte[]> eventHub;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dropNotifications = new AtomicBoolean();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger renewalRefusalsLeft = new AtomicInteger();
    private final AtomicLong messageIds = new AtomicLong(System.currentTimeMillis());
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int subscriptionQuota = MAX_CHAT_SUBSCRIPTIONS_PER_USER;
    private volatile int maxLifetimeMinutes = MAX_LIFETIME_MINUTES;
    private volatile int failStatus;
    private volatile Duration failRetryAfter;

    private GraphEmulator(HttpsServer server, ExecutorService executor, EntraEmulator entra,
                          KafkaProducer<byte[], byte[]> eventHub) {
        this.server = server;
        this.executor = executor;
        this.entra = entra;
        this.eventHub = eventHub;
    }

    /**
     * Starts the emulator on a free port of 127.0.0.1.
     *
     * @param tls the server certificate's context
     * @param entra checks bearer tokens
     * @param eventHubClient client settings of the Event Hub's Kafka endpoint, as {@code
     *     EmbeddedKafka.eventHubClientProperties()} gives them
     */
    public static GraphEmulator start(SSLContext tls, EntraEmulator entra, Properties eventHubClient) {
        Properties producerProps = new Properties();
        producerProps.putAll(eventHubClient);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "graph-emulator");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps);
        try {
            LoopbackHttpsServer https = LoopbackHttpsServer.create(tls, "graph-emulator");
            HttpsServer server = https.server();
            GraphEmulator emulator = new GraphEmulator(server, https.executor(), entra, producer);
            server.createContext("/", emulator::handle);
            server.start();
            log.info("Graph emulator listening on {}", emulator.baseUrl());
            return emulator;
        } catch (IOException | RuntimeException e) {
            producer.close();
            throw new IllegalStateException("Graph emulator could not start", e);
        }
    }

    /** What goes into the connector's {@code graph.base.url}: https://127.0.0.1:port/v1.0. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
    }

    /** Live subscriptions, oldest first. */
    public List<Subscription> subscriptions() {
        List<Subscription> list = new ArrayList<>(subscriptions.values());
        list.sort(Comparator.comparing(Subscription::createdAt));
        return list;
    }

    /** Every request served so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** While on, messages are posted but no change notification is written: Graph's silent loss. */
    public void dropNotifications(boolean drop) {
        dropNotifications.set(drop);
    }

    /** The next {@code count} requests answer {@code status} (429 or 503), with Retry-After if given. */
    public void failNext(int count, int status, Duration retryAfter) {
        this.failStatus = status;
        this.failRetryAfter = retryAfter;
        failuresLeft.set(count);
    }

    /**
     * The next {@code count} renewals (PATCH) answer 400, as the Java SDK's PATCH has been seen refused
     * (msgraph-sdk-java issue 2323).
     */
    public void refuseRenewals(int count) {
        renewalRefusalsLeft.set(count);
    }

    /** The longest lifetime accepted; older Graph documentation says 60 minutes for chat messages. */
    public void maxLifetimeMinutes(int minutes) {
        this.maxLifetimeMinutes = minutes;
    }

    /** How many subscriptions one user may hold before creation answers 403 (Graph: 10 on all chats). */
    public void subscriptionQuota(int quota) {
        this.subscriptionQuota = quota;
    }

    /** Graph drops the subscription and, if asked, says so with a subscriptionRemoved lifecycle event. */
    public void removeSubscription(String id, boolean notify) {
        Subscription removed = subscriptions.remove(id);
        if (removed != null && notify) {
            lifecycleEvent(removed, "subscriptionRemoved");
        }
    }

    /** Graph asks the subscriber to reauthorize the subscription. */
    public void requestReauthorization(String id) {
        Subscription subscription = subscriptions.get(id);
        if (subscription != null) {
            lifecycleEvent(subscription, "reauthorizationRequired");
        }
    }

    /**
     * Teams posts its emergency-call message into a group chat of the service user: the caller placed an emergency
     * call, with location and callback number, worded as in {@code shared/fixtures/messages/emergency-call.json}.
     *
     * @param chatId the chat, created when new; null for a new chat
     * @return the posted chatMessage JSON
     */
    public ObjectNode simulateEmergencyCall(String caller, String chatId, String dialedNumber, String location,
                                            String callbackNumber) {
        return simulateEmergencyCall(userIdOf(caller), caller, chatId, dialedNumber, location, callbackNumber);
    }

    /** As above, by a caller with a given Entra object id (one the location table knows, say). */
    public ObjectNode simulateEmergencyCall(String callerId, String caller, String chatId, String dialedNumber,
                                            String location, String callbackNumber) {
        String html = "<p><strong>" + escape(caller) + "</strong> has placed an Emergency Call to "
                + escape(dialedNumber) + ".</p><p>Location: " + escape(location) + "</p><p>Callback number: "
                + escape(callbackNumber) + "</p>";
        return postMessage(chatId, callerId, caller, html, "urgent");
    }

    /** {@link #simulateEmergencyCall(String, String, String, String, String)} with a made-up callback number. */
    public ObjectNode simulateEmergencyCall(String caller, String chatId, String dialedNumber, String location) {
        return simulateEmergencyCall(caller, chatId, dialedNumber, location, "+1 217 555 0142");
    }

    /** Someone posts a message into a chat of the service user; notifications follow as for any message. */
    public ObjectNode postMessage(String chatId, String sender, String html, String importance) {
        return postMessage(chatId, userIdOf(sender), sender, html, importance);
    }

    /** A made-up but stable object id for a sender known only by name. */
    private static String userIdOf(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private ObjectNode postMessage(String chatId, String senderId, String sender, String html, String importance) {
        Instant now = Instant.now();
        String id = chatId != null ? chatId : "19:" + UUID.randomUUID().toString().replace("-", "") + "@thread.v2";
        Chat chat = chats.computeIfAbsent(id, key -> new Chat(key, null, now));
        String messageId = Long.toString(messageIds.incrementAndGet());
        ObjectNode message = JSON.createObjectNode();
        message.put("@odata.type", "#Microsoft.Graph.chatMessage");
        message.put("id", messageId);
        message.putNull("replyToId");
        message.put("etag", messageId);
        message.put("messageType", "message");
        message.put("createdDateTime", NotificationEncoder.graphDateTime(now));
        message.put("lastModifiedDateTime", NotificationEncoder.graphDateTime(now));
        message.putNull("lastEditedDateTime");
        message.putNull("deletedDateTime");
        message.putNull("subject");
        message.putNull("summary");
        message.put("chatId", id);
        message.put("importance", importance);
        message.put("locale", "en-us");
        message.putNull("webUrl");
        message.putNull("channelIdentity");
        message.putNull("policyViolation");
        message.putNull("eventDetail");
        ObjectNode from = message.putObject("from");
        from.putNull("application");
        from.putNull("device");
        ObjectNode user = from.putObject("user");
        user.put("@odata.type", "#Microsoft.Graph.teamworkUserIdentity");
        user.put("id", senderId);
        user.put("displayName", sender);
        user.put("userIdentityType", "aadUser");
        user.put("tenantId", entra.tenantId());
        ObjectNode body = message.putObject("body");
        body.put("contentType", "html");
        body.put("content", html);
        message.putArray("attachments");
        message.putArray("mentions");
        message.putArray("reactions");
        chat.messages.add(message);
        notifyCreated(chat, message);
        return message.deepCopy();
    }

    private void notifyCreated(Chat chat, ObjectNode message) {
        if (dropNotifications.get()) {
            log.info("Graph emulator: notification of message {} dropped on purpose", message.path("id").asText());
            return;
        }
        Instant now = Instant.now();
        for (Subscription s : subscriptions.values()) {
            if (s.expiresAt().isBefore(now) || !s.changeType().contains("created") || !covers(s, chat)) {
                continue;
            }
            byte[] event;
            if (s.includeResourceData()) {
                event = encoder(s).collection(s.id(), s.expiresAt(),
                        List.of(message.toString().getBytes(StandardCharsets.UTF_8)));
            } else {
                event = basicNotification(s, chat, message);
            }
            send(s.notificationUrl(), chat.id, event);
        }
    }

    private boolean covers(Subscription s, Chat chat) {
        String resource = s.resource().toLowerCase(Locale.ROOT);
        if (resource.endsWith("me/chats/getallmessages") || USER_ALL_MESSAGES.matcher(s.resource()).matches()) {
            return true;
        }
        Matcher m = CHAT_MESSAGES.matcher(s.resource());
        return m.matches() && m.group(1).equals(chat.id);
    }

    private byte[] basicNotification(Subscription s, Chat chat, ObjectNode message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("subscriptionId", s.id());
        n.put("changeType", "created");
        n.put("clientState", s.clientState());
        n.put("subscriptionExpirationDateTime", NotificationEncoder.graphDateTime(s.expiresAt()));
        String resource = "chats('" + chat.id + "')/messages('" + message.path("id").asText() + "')";
        n.put("resource", resource);
        ObjectNode data = n.putObject("resourceData");
        data.put("id", message.path("id").asText());
        data.put("@odata.type", "#Microsoft.Graph.chatMessage");
        data.put("@odata.id", resource);
        n.put("tenantId", entra.tenantId());
        ObjectNode collection = JSON.createObjectNode();
        collection.putArray("value").add(n);
        return collection.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void lifecycleEvent(Subscription s, String event) {
        String url = s.lifecycleNotificationUrl() == null ? s.notificationUrl() : s.lifecycleNotificationUrl();
        byte[] body;
        if (s.includeResourceData()) {
            body = encoder(s).lifecycleEvent(s.id(), s.expiresAt(), event);
        } else {
            ObjectNode n = JSON.createObjectNode();
            n.put("subscriptionId", s.id());
            n.put("subscriptionExpirationDateTime", NotificationEncoder.graphDateTime(s.expiresAt()));
            n.put("tenantId", entra.tenantId());
            n.put("clientState", s.clientState());
            n.put("lifecycleEvent", event);
            ObjectNode collection = JSON.createObjectNode();
            collection.putArray("value").add(n);
            body = collection.toString().getBytes(StandardCharsets.UTF_8);
        }
        send(url, s.id(), body);
        log.info("Graph emulator: lifecycle event {} for subscription {}", event, s.id());
    }

    private NotificationEncoder encoder(Subscription s) {
        return new NotificationEncoder(certificate(s.encryptionCertificate()), s.encryptionCertificateId(),
                s.clientState(), entra.tenantId());
    }

    private void send(String notificationUrl, String key, byte[] event) {
        Matcher m = EVENT_HUB_URL.matcher(notificationUrl);
        if (!m.matches()) {
            log.warn("Graph emulator: cannot deliver to {}", notificationUrl);
            return;
        }
        try {
            eventHub.send(new ProducerRecord<>(m.group(1), key.getBytes(StandardCharsets.UTF_8), event))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Graph retries for up to four hours; the emulator reports and moves on.
            log.warn("Graph emulator: delivery to Event Hub {} failed: {}", m.group(1), e.toString());
        }
    }

    private static byte[] validationEvent() {
        ObjectNode n = JSON.createObjectNode();
        n.put("subscriptionId", "NA");
        n.put("subscriptionExpirationDateTime", "NA");
        n.put("clientState", "NA");
        n.put("changeType", "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID());
        n.put("resource", "NA");
        ObjectNode data = n.putObject("resourceData");
        data.put("@odata.type", "NA");
        data.put("@odata.id", "NA");
        data.put("id", "NA");
        ObjectNode collection = JSON.createObjectNode();
        collection.putArray("value").add(n);
        return collection.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static X509Certificate certificate(String base64Der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        int status = 500;
        try (exchange) {
            if (!rawPath.startsWith("/v1.0/")) {
                status = error(exchange, 404, "ResourceNotFound", "Unsupported API version or path");
                return;
            }
            int left = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1));
            if (left > 0) {
                if (failRetryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(failRetryAfter.toSeconds()));
                }
                status = error(exchange, failStatus, failStatus == 429 ? "TooManyRequests" : "ServiceUnavailable",
                        failStatus == 429 ? "Too many requests" : "The service is temporarily unavailable");
                return;
            }
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
            Optional<EntraEmulator.User> user = entra.userOf(token);
            if (user.isEmpty()) {
                status = error(exchange, 401, "InvalidAuthenticationToken",
                        "Access token has expired or is not yet valid.");
                return;
            }
            List<String> segments = new ArrayList<>();
            for (String part : rawPath.substring("/v1.0/".length()).split("/")) {
                if (!part.isEmpty()) {
                    segments.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
                }
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            status = route(exchange, method, segments, query, user.get());
        } catch (RuntimeException e) {
            log.warn("Graph emulator failed on {} {}", method, rawPath, e);
            status = error(exchange, 500, "InternalServerError", "emulator failure");
        } finally {
            requests.add(new Request(method, rawPath, status, Instant.now()));
        }
    }

    private int route(HttpExchange exchange, String method, List<String> path, Map<String, String> query,
                      EntraEmulator.User user) throws IOException {
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        if (first.equals("subscriptions")) {
            if (n == 1 && method.equals("POST")) {
                return createSubscription(exchange, user);
            }
            if (n == 1 && method.equals("GET")) {
                ArrayNode list = JSON.createArrayNode();
                subscriptions().stream().filter(s -> s.creatorId().equals(user.objectId()))
                        .forEach(s -> list.add(json(s)));
                return respond(exchange, 200, page(list, null));
            }
            Subscription s = n >= 2 ? subscriptions.get(path.get(1)) : null;
            if (s == null || !s.creatorId().equals(user.objectId())) {
                return error(exchange, 404, "ResourceNotFound", "The object was not found.");
            }
            if (n == 2 && method.equals("GET")) {
                return respond(exchange, 200, json(s));
            }
            if (n == 2 && method.equals("PATCH")) {
                return renewSubscription(exchange, s);
            }
            if (n == 2 && method.equals("DELETE")) {
                subscriptions.remove(s.id());
                return respond(exchange, 204, null);
            }
            if (n == 3 && path.get(2).equals("reauthorize") && method.equals("POST")) {
                return respond(exchange, 204, null);
            }
        }
        if (first.equals("me") && method.equals("GET")) {
            if (n == 1) {
                ObjectNode me = JSON.createObjectNode();
                me.put("id", user.objectId());
                me.put("displayName", user.displayName());
                me.put("userPrincipalName", user.userPrincipalName());
                return respond(exchange, 200, me);
            }
            if (n == 2 && path.get(1).equals("chats")) {
                return listChats(exchange, query);
            }
        }
        if (first.equals("chats") && method.equals("GET") && n >= 3 && path.get(2).equals("messages")) {
            Chat chat = chats.get(path.get(1));
            if (chat == null) {
                return error(exchange, 404, "NotFound", "Chat not found");
            }
            if (n == 3) {
                return listMessages(exchange, chat, query);
            }
            if (n == 4) {
                for (ObjectNode message : chat.messages) {
                    if (message.path("id").asText().equals(path.get(3))) {
                        return respond(exchange, 200, message);
                    }
                }
                return error(exchange, 404, "NotFound", "Message not found");
            }
        }
        return error(exchange, 400, "BadRequest", "Unsupported request: " + method + " /" + String.join("/", path));
    }

    private int createSubscription(HttpExchange exchange, EntraEmulator.User user) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String resource = body.path("resource").asText("");
        String changeType = body.path("changeType").asText("");
        String notificationUrl = body.path("notificationUrl").asText("");
        String lifecycleUrl = body.path("lifecycleNotificationUrl").asText(null);
        String clientState = body.path("clientState").asText(null);
        boolean includeResourceData = body.path("includeResourceData").asBoolean(false);
        Instant now = Instant.now();
        Instant expiry = time(body.path("expirationDateTime").asText(null));
        if (!resource.toLowerCase(Locale.ROOT).matches("/?me/chats/getallmessages")
                && !USER_ALL_MESSAGES.matcher(resource).matches() && !CHAT_MESSAGES.matcher(resource).matches()) {
            return error(exchange, 400, "ExtensionError", "Operation: Create; Exception: [Status Code: BadRequest; "
                    + "Reason: The resource '" + resource + "' is not supported with delegated permissions]");
        }
        if (changeType.isBlank()) {
            return error(exchange, 400, "InvalidRequest", "changeType is required");
        }
        if (!EVENT_HUB_URL.matcher(notificationUrl).matches()) {
            return error(exchange, 400, "InvalidRequest", "Subscription validation request failed. The emulator "
                    + "delivers to EventHub:https://<namespace>/eventhubname/<hub>?tenantId=<tenant> only.");
        }
        if (expiry == null || !expiry.isAfter(now)) {
            return error(exchange, 400, "InvalidRequest", "Subscription expiration must be in the future.");
        }
        if (expiry.isAfter(now.plus(Duration.ofMinutes(maxLifetimeMinutes + 1)))) {
            return error(exchange, 400, "InvalidRequest", "Subscription expiration can only be "
                    + maxLifetimeMinutes + " minutes in the future.");
        }
        if (expiry.isAfter(now.plus(Duration.ofMinutes(61))) && (lifecycleUrl == null || lifecycleUrl.isBlank())) {
            return error(exchange, 400, "InvalidRequest", "lifecycleNotificationUrl is a required property for "
                    + "subscription creation on this resource when the expirationDateTime value is set to greater "
                    + "than 1 hour.");
        }
        if (clientState != null && clientState.length() > 128) {
            return error(exchange, 400, "InvalidRequest", "clientState cannot exceed 128 characters.");
        }
        String certificate = body.path("encryptionCertificate").asText(null);
        String certificateId = body.path("encryptionCertificateId").asText(null);
        if (includeResourceData) {
            if (certificate == null || certificateId == null) {
                return error(exchange, 400, "InvalidRequest", "A valid encryptionCertificate and "
                        + "encryptionCertificateId are required when includeResourceData is true.");
            }
            try {
                certificate(certificate);
            } catch (IllegalArgumentException e) {
                return error(exchange, 400, "InvalidRequest", "encryptionCertificate is not a valid X.509 "
                        + "certificate.");
            }
        }
        synchronized (subscriptions) {
            long mine = subscriptions.values().stream().filter(s -> s.creatorId().equals(user.objectId())).count();
            boolean duplicate = subscriptions.values().stream().anyMatch(s -> s.creatorId().equals(user.objectId())
                    && s.resource().equalsIgnoreCase(resource) && s.changeType().equals(changeType));
            if (duplicate) {
                return error(exchange, 409, "ExtensionError", "Operation: Create; Exception: [Status Code: "
                        + "Conflict; Reason: A subscription already exists for this resource and change type]");
            }
            if (mine >= subscriptionQuota) {
                return error(exchange, 403, "ExtensionError", "Operation: Create; Exception: [Status Code: "
                        + "Forbidden; Reason: Subscription quota exceeded for user]");
            }
            Subscription s = new Subscription(UUID.randomUUID().toString(), resource, changeType, notificationUrl,
                    lifecycleUrl, expiry, clientState, includeResourceData, certificate, certificateId,
                    user.objectId(), now);
            subscriptions.put(s.id(), s);
            log.info("Graph emulator: subscription {} created on {} until {}", s.id(), resource, expiry);
            // Graph's stand-in for the webhook validation handshake when delivering to Event Hubs.
            send(notificationUrl, s.id(), validationEvent());
            return respond(exchange, 201, json(s));
        }
    }

    private int renewSubscription(HttpExchange exchange, Subscription s) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (renewalRefusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(exchange, 400, "InvalidRequest", "Operation: Update; Exception: [Status Code: BadRequest; "
                    + "Reason: Invalid request]");
        }
        Instant now = Instant.now();
        Subscription updated = s;
        if (body.has("expirationDateTime")) {
            Instant expiry = time(body.path("expirationDateTime").asText(null));
            if (expiry == null || !expiry.isAfter(now)
                    || expiry.isAfter(now.plus(Duration.ofMinutes(maxLifetimeMinutes + 1)))) {
                return error(exchange, 400, "InvalidRequest", "Subscription expiration can only be "
                        + maxLifetimeMinutes + " minutes in the future.");
            }
            updated = updated.withExpiry(expiry);
        }
        if (body.has("notificationUrl")) {
            updated = updated.withNotificationUrl(body.path("notificationUrl").asText());
        }
        subscriptions.put(s.id(), updated);
        log.info("Graph emulator: subscription {} renewed until {}", s.id(), updated.expiresAt());
        return respond(exchange, 200, json(updated));
    }

    private int listChats(HttpExchange exchange, Map<String, String> query) throws IOException {
        int top = Integer.parseInt(query.getOrDefault("$top", "20"));
        List<Chat> ordered = new ArrayList<>(chats.values());
        ordered.sort(Comparator.comparing(GraphEmulator::lastActivity).reversed());
        ArrayNode list = JSON.createArrayNode();
        for (Chat chat : ordered.subList(0, Math.min(top, ordered.size()))) {
            ObjectNode node = list.addObject();
            node.put("id", chat.id);
            node.put("topic", chat.topic);
            node.put("createdDateTime", NotificationEncoder.graphDateTime(chat.createdAt));
            node.put("lastUpdatedDateTime", NotificationEncoder.graphDateTime(lastActivity(chat)));
            node.put("chatType", "group");
            if (query.getOrDefault("$expand", "").contains("lastMessagePreview") && !chat.messages.isEmpty()) {
                ObjectNode last = chat.messages.get(chat.messages.size() - 1);
                ObjectNode preview = node.putObject("lastMessagePreview");
                preview.put("id", last.path("id").asText());
                preview.put("createdDateTime", last.path("createdDateTime").asText());
                preview.put("isDeleted", false);
                preview.put("messageType", "message");
            }
        }
        return respond(exchange, 200, page(list, null));
    }

    private int listMessages(HttpExchange exchange, Chat chat, Map<String, String> query) throws IOException {
        int top = Math.min(50, Integer.parseInt(query.getOrDefault("$top", "20")));
        int skip = Integer.parseInt(query.getOrDefault("$skip", "0"));
        Instant after = null;
        String filter = query.get("$filter");
        if (filter != null) {
            Matcher m = Pattern.compile("lastModifiedDateTime gt (\\S+)").matcher(filter);
            if (!m.find() || (after = time(m.group(1))) == null) {
                return error(exchange, 400, "BadRequest", "Unsupported $filter: " + filter);
            }
        }
        List<ObjectNode> selected = new ArrayList<>();
        for (ObjectNode message : chat.messages) {
            Instant modified = time(message.path("lastModifiedDateTime").asText());
            if (after == null || modified.isAfter(after)) {
                selected.add(message);
            }
        }
        selected.sort(Comparator.comparing((ObjectNode m) -> time(m.path("lastModifiedDateTime").asText()))
                .reversed());
        ArrayNode list = JSON.createArrayNode();
        selected.stream().skip(skip).limit(top).forEach(list::add);
        String next = null;
        if (skip + top < selected.size()) {
            Map<String, String> nextQuery = new LinkedHashMap<>(query);
            nextQuery.put("$skip", Integer.toString(skip + top));
            StringBuilder uri = new StringBuilder(baseUrl() + "/chats/" + encode(chat.id) + "/messages?");
            nextQuery.forEach((k, v) -> uri.append(encode(k)).append('=').append(encode(v)).append('&'));
            next = uri.substring(0, uri.length() - 1);
        }
        return respond(exchange, 200, page(list, next));
    }

    private static Instant lastActivity(Chat chat) {
        if (chat.messages.isEmpty()) {
            return chat.createdAt;
        }
        return time(chat.messages.get(chat.messages.size() - 1).path("lastModifiedDateTime").asText());
    }

    private ObjectNode json(Subscription s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.type", "#microsoft.graph.subscription");
        node.put("id", s.id());
        node.put("resource", s.resource());
        node.put("applicationId", "00000000-0000-0000-0000-000000000000");
        node.put("changeType", s.changeType());
        node.put("clientState", (String) null);
        node.put("notificationUrl", s.notificationUrl());
        node.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl());
        node.put("expirationDateTime", NotificationEncoder.graphDateTime(s.expiresAt()));
        node.put("creatorId", s.creatorId());
        node.put("includeResourceData", s.includeResourceData());
        node.put("encryptionCertificateId", s.encryptionCertificateId());
        node.put("latestSupportedTlsVersion", "v1_2");
        node.put("notificationUrlAppId", (String) null);
        return node;
    }

    private static ObjectNode page(ArrayNode value, String nextLink) {
        ObjectNode page = JSON.createObjectNode();
        page.set("value", value);
        if (nextLink != null) {
            page.put("@odata.nextLink", nextLink);
        }
        return page;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", Instant.now().toString());
        inner.put("request-id", UUID.randomUUID().toString());
        return respond(exchange, status, body);
    }

    private static int respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
            eventHub.close(Duration.ofSeconds(5));
        }
    }
}
