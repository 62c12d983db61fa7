package com.teamsemergency.connector.subscription;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.connector.config.ConnectorConfig;
import com.teamsemergency.connector.errors.Disposition;
import com.teamsemergency.connector.errors.ErrorClassifier;
import com.teamsemergency.connector.graph.GraphClient;
import com.teamsemergency.connector.graph.GraphException;

/**
 * Keeps one Graph change-notification subscription alive for the service user: adopts the one that already exists,
 * creates it when there is none, renews it on a timer, and recovers from Graph's refusals as MICROSOFT-FACTS.md
 * describes. Not thread-safe: used by the task's background thread only.
 */
public final class SubscriptionManager {

    /** A subscription as far as the connector cares. */
    public record Subscription(String id, Instant expiresAt) {
    }

    /** What {@link #ensure} did. */
    public enum Outcome { UNCHANGED, ADOPTED, CREATED, RENEWED, RECREATED }

    private static final Logger log = LoggerFactory.getLogger(SubscriptionManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FALLBACK_LIFETIME_MINUTES = 60;

    private final GraphClient graph;
    private final ConnectorConfig config;
    private final String certificate;
    private final String clientState;
    private Subscription current;
    private String hintId;
    private int lifetimeMinutes;
    private Instant nextRenewal = Instant.MIN;

    public SubscriptionManager(GraphClient graph, ConnectorConfig config, String hintId) {
        this.graph = graph;
        this.config = config;
        this.hintId = hintId;
        this.certificate = config.includeResourceData()
                ? NotificationCertificate.load(config.encryptionCertificate()).base64Der() : null;
        this.clientState = config.clientState().value();
        this.lifetimeMinutes = config.lifetimeMinutes();
    }

    public Optional<Subscription> current() {
        return Optional.ofNullable(current);
    }

    public boolean due(Instant now) {
        return current == null || !now.isBefore(nextRenewal);
    }

    /** Makes the next {@link #ensure} renew at once (a reauthorizationRequired lifecycle event). */
    public void renewSoon() {
        nextRenewal = Instant.MIN;
    }

    /** Graph said the subscription is gone (subscriptionRemoved): the next {@link #ensure} creates one. */
    public void forget() {
        current = null;
        nextRenewal = Instant.MIN;
    }

    /** Reauthorizes with the current token, as Graph asks in a reauthorizationRequired event, then renews. */
    public Outcome reauthorize(Instant now) {
        if (current != null) {
            try {
                graph.reauthorizeSubscription(current.id());
                log.info("Reauthorized subscription {}", current.id());
            } catch (GraphException e) {
                if (ErrorClassifier.classify(e) == Disposition.TRANSIENT || e.status() == 401) {
                    throw e;
                }
                log.warn("Reauthorizing subscription {} was refused ({}); renewing instead", current.id(),
                        e.getMessage());
            }
        }
        renewSoon();
        return ensure(now);
    }

    /** Brings the subscription to a live state if it is missing or due for renewal. */
    public Outcome ensure(Instant now) {
        if (current == null) {
            Optional<Subscription> existing = findExisting(true);
            if (existing.isPresent()) {
                current = existing.get();
                log.info("Adopted existing subscription {} on {} expiring {}", current.id(),
                        config.subscriptionResource(), current.expiresAt());
                // Renewing at once confirms the adopted subscription is alive and restarts its lifetime.
                Outcome renewed = renew(now);
                return renewed == Outcome.RENEWED ? Outcome.ADOPTED : renewed;
            }
            create(now);
            return Outcome.CREATED;
        }
        if (!now.isBefore(nextRenewal)) {
            return renew(now);
        }
        return Outcome.UNCHANGED;
    }

    private Outcome renew(Instant now) {
        String id = current.id();
        try {
            accept(graph.patchSubscription(id, renewalBody(now, false)), now);
            log.info("Renewed subscription {} until {}", id, current.expiresAt());
            return Outcome.RENEWED;
        } catch (GraphException first) {
            if (first.status() == 404) {
                log.warn("Subscription {} no longer exists; creating a new one", id);
                current = null;
                create(now);
                return Outcome.RECREATED;
            }
            if (!refusedRenewal(first)) {
                throw first;
            }
            log.warn("Renewing subscription {} was refused ({}); retrying with notificationUrl set", id,
                    first.getMessage());
        }
        try {
            accept(graph.patchSubscription(id, renewalBody(now, true)), now);
            log.info("Renewed subscription {} until {} on the second attempt", id, current.expiresAt());
            return Outcome.RENEWED;
        } catch (GraphException second) {
            if (second.status() != 404 && !refusedRenewal(second)) {
                throw second;
            }
            log.warn("Renewing subscription {} was refused again ({}); deleting it and creating a new one", id,
                    second.getMessage());
        }
        try {
            graph.deleteSubscription(id);
        } catch (GraphException e) {
            if (e.status() != 404) {
                log.warn("Deleting subscription {} failed ({}); creating a new one anyway", id, e.getMessage());
            }
        }
        current = null;
        create(now);
        return Outcome.RECREATED;
    }

    private void create(Instant now) {
        int minutes = lifetimeMinutes;
        while (true) {
            try {
                JsonNode created = graph.createSubscription(creationBody(now, minutes));
                lifetimeMinutes = minutes;
                accept(created, now);
                hintId = current.id();
                log.info("Created subscription {} on {} expiring {}", current.id(), config.subscriptionResource(),
                        current.expiresAt());
                return;
            } catch (GraphException e) {
                if (e.status() == 409) {
                    Optional<Subscription> existing = findExisting(true).or(() -> findExisting(false));
                    if (existing.isPresent()) {
                        current = existing.get();
                        log.info("Graph answered 409 Conflict; adopting existing subscription {}", current.id());
                        // The one found may deliver elsewhere: renewing with notificationUrl points it at our hub.
                        accept(graph.patchSubscription(current.id(), renewalBody(now, true)), now);
                        hintId = current.id();
                        return;
                    }
                    throw new SubscriptionRefusedException("Graph answered 409 Conflict to the subscription on "
                            + config.subscriptionResource() + " but lists no subscription of this user on it. Another "
                            + "application may hold it; delete that subscription, then restart the task.", e);
                }
                if (e.status() == 400 && mentionsExpiry(e) && minutes > FALLBACK_LIFETIME_MINUTES) {
                    log.warn("Graph refused a lifetime of {} minutes ({}); retrying with {}", minutes,
                            e.getMessage(), FALLBACK_LIFETIME_MINUTES);
                    minutes = FALLBACK_LIFETIME_MINUTES;
                    continue;
                }
                if (e.status() == 403) {
                    throw new SubscriptionRefusedException("Graph refused to create the subscription on "
                            + config.subscriptionResource() + " (" + e.getMessage() + "). Either the service user "
                            + "has reached Graph's limit of 10 subscriptions on all chats - list them with GET "
                            + "/v1.0/subscriptions as that user and delete the unused ones - or the app lacks "
                            + "consent for Chat.Read/ChatMessage.Read; then restart the task.", e);
                }
                if (e.status() == 400) {
                    throw new SubscriptionRefusedException("Graph rejected the subscription request ("
                            + e.getMessage() + "). Check subscription.resource, subscription.notification.url and "
                            + "the encryption certificate, then restart the task.", e);
                }
                throw e;
            }
        }
    }

    /** Ours: same resource and, if asked, the same notificationUrl; the remembered id first, then the latest. */
    private Optional<Subscription> findExisting(boolean sameNotificationUrl) {
        List<JsonNode> all = graph.listSubscriptions();
        String resource = normalise(config.subscriptionResource());
        String url = config.notificationUrl();
        return all.stream()
                .filter(s -> normalise(s.path("resource").asText("")).equals(resource))
                .filter(s -> !sameNotificationUrl || s.path("notificationUrl").asText("").equalsIgnoreCase(url))
                .sorted(Comparator.comparing((JsonNode s) -> s.path("id").asText().equals(hintId) ? 0 : 1)
                        .thenComparing(s -> expiry(s), Comparator.reverseOrder()))
                .findFirst()
                .map(s -> new Subscription(s.path("id").asText(), expiry(s)));
    }

    private void accept(JsonNode answer, Instant now) {
        String id = answer.path("id").asText(current == null ? null : current.id());
        Instant expires = expiry(answer);
        current = new Subscription(id, expires);
        long half = Duration.ofMinutes(lifetimeMinutes).toMillis() / 2;
        long interval = Math.min(config.renewalInterval().toMillis(), half);
        // Never later than halfway to the expiry Graph actually granted.
        Instant byExpiry = now.plusMillis(Math.max(1000, Duration.between(now, expires).toMillis() / 2));
        Instant byTimer = now.plusMillis(interval);
        nextRenewal = byTimer.isBefore(byExpiry) ? byTimer : byExpiry;
    }

    private ObjectNode creationBody(Instant now, int minutes) {
        ObjectNode body = JSON.createObjectNode();
        body.put("changeType", config.changeTypes());
        body.put("notificationUrl", config.notificationUrl());
        body.put("lifecycleNotificationUrl", config.lifecycleNotificationUrl());
        body.put("resource", config.subscriptionResource());
        // Graph's examples carry at most seven fractional digits; Instant would print nine.
        body.put("expirationDateTime", now.plus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("clientState", clientState);
        if (certificate != null) {
            body.put("includeResourceData", true);
            body.put("encryptionCertificate", certificate);
            body.put("encryptionCertificateId", config.encryptionCertificateId());
        }
        return body;
    }

    private ObjectNode renewalBody(Instant now, boolean withNotificationUrl) {
        ObjectNode body = JSON.createObjectNode();
        body.put("expirationDateTime",
                now.plus(Duration.ofMinutes(lifetimeMinutes)).truncatedTo(ChronoUnit.MILLIS).toString());
        if (withNotificationUrl) {
            // The Java SDK's PATCH has been seen refused without it (msgraph-sdk-java issue 2323).
            body.put("notificationUrl", config.notificationUrl());
        }
        return body;
    }

    private static boolean refusedRenewal(GraphException e) {
        int s = e.status();
        return s == 400 || s == 403 || s == 405 || s == 409 || s == 422;
    }

    private static boolean mentionsExpiry(GraphException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return text.contains("expir");
    }

    private static String normalise(String resource) {
        String r = resource.toLowerCase(Locale.ROOT);
        return r.startsWith("/") ? r.substring(1) : r;
    }

    private static Instant expiry(JsonNode subscription) {
        String text = subscription.path("expirationDateTime").asText(null);
        if (text == null) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }
}
