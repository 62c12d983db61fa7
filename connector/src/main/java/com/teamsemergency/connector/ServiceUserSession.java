package com.teamsemergency.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.teamsemergency.connector.auth.DelegatedSignIn;
import com.teamsemergency.connector.auth.PersistedTokenCache;
import com.teamsemergency.connector.auth.TokenCacheVault;
import com.teamsemergency.connector.config.TaskConfig;
import com.teamsemergency.connector.control.ControlAction;
import com.teamsemergency.connector.control.ControlListener;
import com.teamsemergency.connector.errors.Disposition;
import com.teamsemergency.connector.errors.ErrorClassifier;
import com.teamsemergency.connector.graph.GraphClient;
import com.teamsemergency.connector.graph.GraphException;
import com.teamsemergency.connector.graph.TrustedTls;
import com.teamsemergency.connector.offset.TaskOffset;
import com.teamsemergency.connector.reconcile.Reconciler;
import com.teamsemergency.connector.status.ConnectorStatus;
import com.teamsemergency.connector.subscription.SubscriptionManager;

/**
 * The background work of one task for one service user: sign-in, the subscription's life, reconciliation and the
 * control topic, run on one thread that hands records to {@code poll()} through a bounded queue.
 *
 * <p>Every failure goes through {@link ErrorClassifier}: transient ones are retried with backoff and reported as the
 * last error; a refused token leads to a new device code prompt; a permanent one is kept and fails the task on its
 * next {@code poll()} with a message a person can act on.
 */
final class ServiceUserSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServiceUserSession.class);
    private static final Duration CONTROL_POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Added to the pause when Entra answered slow_down, as the device code flow asks. */
    private static final Duration SLOW_DOWN = Duration.ofSeconds(5);

    private final TaskConfig config;
    private final BlockingQueue<SourceRecord> queue;
    private final Map<String, Object> partition;
    private final ConnectorStatus status;
    private final AtomicReference<ConnectException> failure = new AtomicReference<>();
    private final DelegatedSignIn signIn;
    private final GraphClient graph;
    private final SubscriptionManager subscriptions;
    private final Reconciler reconciler;
    private final ControlListener control;

    private volatile TaskOffset offset;
    private volatile boolean running = true;
    private final Object lifecycle = new Object();
    private Thread thread;
    private boolean finished;
    private String signInReason = "first sign-in";
    private boolean announcedSignedIn;
    private Instant nextReconciliation = Instant.MIN;
    private int transientFailures;

    ServiceUserSession(TaskConfig config, TaskOffset stored, BlockingQueue<SourceRecord> queue) {
        this.config = config;
        this.queue = queue;
        this.partition = TaskOffset.partition(config.serviceUser());
        this.status = new ConnectorStatus(config.serviceUser());
        SSLContext tls = TrustedTls.context(config);

        TokenCacheVault vault = new TokenCacheVault(config.tokenCacheKey().value(), config.connectorName(),
                config.serviceUser());
        PersistedTokenCache cache;
        TaskOffset start = stored;
        try {
            cache = new PersistedTokenCache(vault, stored.sealedTokenCache(), this::tokenCacheChanged);
        } catch (TokenCacheVault.SealedCacheUnreadableException e) {
            log.warn("Service user {}: {}; a new sign-in is needed", config.serviceUser(), e.getMessage());
            signInReason = "stored tokens unreadable: " + e.getMessage();
            start = stored.withSealedTokenCache(null);
            cache = new PersistedTokenCache(vault, null, this::tokenCacheChanged);
        }
        this.offset = start.watermark() != null ? start
                : start.withWatermark(Instant.now().minus(config.initialLookback()));
        this.signIn = new DelegatedSignIn(config, tls, cache, "graph-chat-signin-" + config.serviceUser());
        this.graph = new GraphClient(config.graphBaseUrl(), tls, config.requestTimeout(), config.retryMaxAttempts(),
                this::accessToken);
        this.subscriptions = new SubscriptionManager(graph, config, start.subscriptionId());
        this.reconciler = new Reconciler(graph, config.reconciliationMaxChats());
        this.control = config.controlEnabled()
                ? new ControlListener(config.controlConsumerSettings(), config.controlTopic()) : null;
        if (control == null) {
            log.warn("Service user {}: {} is empty, so lifecycle events and notifications without resource data "
                    + "are not acted on; only the timers renew and reconcile", config.serviceUser(),
                    TaskConfig.CONTROL_BOOTSTRAP_SERVERS);
        }
    }

    /** The failure that must fail the task, if any. */
    ConnectException failure() {
        return failure.get();
    }

    @Override
    public void run() {
        synchronized (lifecycle) {
            thread = Thread.currentThread();
        }
        log.info("Service user {}: session started, watermark {}", config.serviceUser(), offset.watermark());
        publishStatus();
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                try {
                    step();
                    transientFailures = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | ExecutionException e) {
                    if (running) {
                        handle(e);
                    }
                }
            }
            if (running) {
                // Interrupted by someone other than stop(): a task that silently stopped working must fail instead.
                fail("The Graph chat task for service user " + config.serviceUser() + " was interrupted; restart "
                        + "the task", null);
            }
        } catch (Throwable fatal) {
            log.error("Service user {}: session failed", config.serviceUser(), fatal);
            failure.compareAndSet(null, new ConnectException("The Graph chat task for service user "
                    + config.serviceUser() + " failed unexpectedly: " + fatal, fatal));
        } finally {
            synchronized (lifecycle) {
                finished = true;
            }
            // stop() may have interrupted this thread to end its waits; closing the consumer must not see that.
            Thread.interrupted();
            if (control != null) {
                control.close();
            }
            signIn.close();
            log.info("Service user {}: session stopped", config.serviceUser());
        }
    }

    void stop() {
        running = false;
        signIn.close();
        if (control != null) {
            control.wakeup();
        }
        synchronized (lifecycle) {
            if (thread != null && !finished) {
                thread.interrupt();
            }
        }
    }

    private void step() throws InterruptedException, ExecutionException {
        if (!signIn.hasAccount()) {
            signInInteractively();
            return;
        }
        if (!announcedSignedIn) {
            IAuthenticationResult result = signIn.silentToken(false);
            status.signedIn(result.account() == null ? null : result.account().username());
            announcedSignedIn = true;
            log.info("Service user {}: signed in with stored tokens", config.serviceUser());
            publishStatus();
        }

        Instant now = Instant.now();
        if (subscriptions.due(now)) {
            SubscriptionManager.Outcome outcome = subscriptions.ensure(now);
            SubscriptionManager.Subscription current = subscriptions.current().orElseThrow();
            updateOffset(o -> o.withSubscriptionId(current.id()));
            status.subscription(current.id(), current.expiresAt(), outcome.name().toLowerCase());
            publishStatus();
            if (outcome == SubscriptionManager.Outcome.CREATED || outcome == SubscriptionManager.Outcome.RECREATED) {
                // Messages posted while no subscription existed were never notified.
                nextReconciliation = Instant.MIN;
            }
        }

        if (!Instant.now().isBefore(nextReconciliation)) {
            reconcile();
        }

        if (control != null) {
            for (ControlAction action : control.poll(CONTROL_POLL)) {
                act(action);
            }
        } else {
            Thread.sleep(CONTROL_POLL.toMillis());
        }
    }

    private void reconcile() throws InterruptedException {
        Instant started = Instant.now();
        Instant since = offset.watermark().minus(config.reconciliationOverlap());
        Reconciler.Findings findings = reconciler.run(since);
        for (ObjectNode message : findings.messages()) {
            Instant modified = Reconciler.modified(message);
            updateOffset(o -> modified.isAfter(o.watermark()) ? o.withWatermark(modified) : o);
            emitMessage(message);
        }
        // With nothing new, the watermark still moves up so that the window read next time stays small.
        Instant floor = started.minus(config.reconciliationOverlap());
        updateOffset(o -> floor.isAfter(o.watermark()) ? o.withWatermark(floor) : o);
        status.reconciled(findings.messages().size());
        if (!findings.messages().isEmpty()) {
            log.info("Service user {}: reconciliation found {} messages in {} chats", config.serviceUser(),
                    findings.messages().size(), findings.chatsRead());
        }
        publishStatus();
        nextReconciliation = Instant.now().plus(config.reconciliationInterval());
    }

    private void act(ControlAction action) throws InterruptedException {
        String ours = subscriptions.current().map(SubscriptionManager.Subscription::id).orElse(null);
        if (action.subscriptionId() != null && ours != null && !action.subscriptionId().equals(ours)) {
            log.debug("Ignoring control action {} for another subscription", action);
            return;
        }
        Instant now = Instant.now();
        if (action instanceof ControlAction.Reauthorize) {
            log.info("Service user {}: Graph asked to reauthorize subscription {}", config.serviceUser(), ours);
            SubscriptionManager.Outcome outcome = subscriptions.reauthorize(now);
            subscriptions.current().ifPresent(s -> status.subscription(s.id(), s.expiresAt(),
                    outcome.name().toLowerCase()));
            publishStatus();
        } else if (action instanceof ControlAction.Recreate) {
            log.warn("Service user {}: Graph removed subscription {}; creating a new one and reconciling",
                    config.serviceUser(), action.subscriptionId());
            subscriptions.forget();
            nextReconciliation = Instant.MIN;
        } else if (action instanceof ControlAction.Reconcile) {
            nextReconciliation = Instant.MIN;
        } else if (action instanceof ControlAction.Fetch fetch) {
            JsonNode message;
            try {
                message = graph.message(fetch.chatId(), fetch.messageId());
            } catch (GraphException e) {
                if (e.status() != 404 && e.status() != 403) {
                    throw e;
                }
                // Deleted since, or in a chat the user has left: nothing to emit, and no reason to stop.
                log.warn("Service user {}: message {} of a notification cannot be fetched ({})",
                        config.serviceUser(), fetch.messageId(), e.getMessage());
                return;
            }
            if (message instanceof ObjectNode object) {
                if (!object.hasNonNull("chatId")) {
                    object.put("chatId", fetch.chatId());
                }
                status.fetched();
                emitMessage(object);
                log.debug("Service user {}: fetched message {} of a notification without resource data",
                        config.serviceUser(), fetch.messageId());
            }
        }
    }

    private void signInInteractively() throws InterruptedException {
        String reason = signInReason;
        announcedSignedIn = false;
        try {
            IAuthenticationResult result = signIn.signIn(prompt -> {
                status.signInPending(prompt, reason);
                log.warn("Service user {} must sign in ({}): open {} and enter the code {} before {}",
                        config.serviceUser(), reason, prompt.verificationUri(), prompt.userCode(), prompt.expiresAt());
                publishStatus();
            });
            status.signedIn(result.account() == null ? null : result.account().username());
            announcedSignedIn = true;
            signInReason = "signed out";
            log.info("Service user {}: signed in", config.serviceUser());
            publishStatus();
            // Subscribe and reconcile at once: nothing was watched while signed out.
            subscriptions.renewSoon();
            nextReconciliation = Instant.MIN;
        } catch (ExecutionException | RuntimeException e) {
            if (!running) {
                return;
            }
            Disposition disposition = ErrorClassifier.classify(e);
            String code = ErrorClassifier.reason(e);
            if (disposition == Disposition.PERMANENT) {
                fail("Entra ID refused the sign-in of service user " + config.serviceUser() + " (" + code + ": "
                        + ErrorClassifier.unwrap(e).getMessage() + "). Check entra.client.id, that the app "
                        + "registration allows public client flows and has the delegated permissions User.Read, "
                        + "Chat.Read, Chat.ReadBasic and ChatMessage.Read, then restart the task.", e);
                return;
            }
            signInReason = describe(code);
            status.signedOut(signInReason);
            status.error("sign-in: " + code);
            log.warn("Service user {}: sign-in did not complete ({}); a new prompt follows", config.serviceUser(),
                    signInReason);
            publishStatus();
            Duration pause = config.signInRetryBackoff();
            if ("slow_down".equals(code)) {
                pause = pause.plus(SLOW_DOWN);
            }
            if (disposition == Disposition.TRANSIENT) {
                pause = backoff(++transientFailures).compareTo(pause) > 0 ? backoff(transientFailures) : pause;
            }
            Thread.sleep(pause.toMillis());
        }
    }

    private void handle(Exception e) throws InterruptedException {
        Disposition disposition = ErrorClassifier.classify(e);
        Throwable cause = ErrorClassifier.unwrap(e);
        String code = ErrorClassifier.reason(e);
        if (disposition == Disposition.SIGN_IN_AGAIN && cause instanceof GraphException graphError
                && graphError.status() == 401) {
            Optional<Throwable> refreshFailure = forceRefresh();
            if (refreshFailure.isEmpty()) {
                // Graph refused a token that Entra still refreshes: a stale token, worth one more round.
                disposition = Disposition.TRANSIENT;
            } else {
                disposition = ErrorClassifier.classify(refreshFailure.get());
                code = ErrorClassifier.reason(refreshFailure.get());
                cause = ErrorClassifier.unwrap(refreshFailure.get());
            }
        }
        switch (disposition) {
            case SIGN_IN_AGAIN -> {
                log.warn("Service user {}: the stored tokens are no longer accepted ({}); a person must sign in "
                        + "again", config.serviceUser(), code);
                signInReason = describe(code);
                signIn.forgetAccounts();
                status.signedOut(signInReason);
                status.error("tokens refused: " + code);
                publishStatus();
            }
            case TRANSIENT -> {
                transientFailures++;
                Duration pause = cause instanceof GraphException g && g.retryAfter().isPresent()
                        ? g.retryAfter().get() : backoff(transientFailures);
                log.warn("Service user {}: {} (attempt {}); retrying in {} ms", config.serviceUser(),
                        cause.getMessage(), transientFailures, pause.toMillis());
                status.error(cause.getMessage());
                publishStatus();
                Thread.sleep(pause.toMillis());
            }
            case PERMANENT -> fail(actionable(cause), cause);
        }
    }

    private static String actionable(Throwable cause) {
        if (cause instanceof GraphException graph && graph.status() == 403) {
            return cause.getMessage() + ". The service user or the app lacks a permission: check that the app "
                    + "registration has the delegated permissions User.Read, Chat.Read, Chat.ReadBasic and "
                    + "ChatMessage.Read with consent, then restart the task.";
        }
        if (cause instanceof GraphException graph && graph.status() == 400) {
            return cause.getMessage() + ". Graph rejected the request: check graph.base.url and "
                    + "subscription.resource, then restart the task.";
        }
        return String.valueOf(cause.getMessage());
    }

    /** Asks Entra for a fresh access token; the failure, if it refused. */
    private Optional<Throwable> forceRefresh() {
        try {
            signIn.silentToken(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(e);
        } catch (Exception refreshFailed) {
            return Optional.of(refreshFailed);
        }
    }

    private void fail(String message, Throwable cause) {
        log.error("Service user {}: giving up: {}", config.serviceUser(), message);
        status.error(message);
        publishStatus();
        failure.compareAndSet(null, new ConnectException(message, cause));
        running = false;
    }

    private String accessToken() {
        try {
            return signIn.silentToken(false).accessToken();
        } catch (ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private void tokenCacheChanged(String sealed) {
        updateOffset(o -> o.withSealedTokenCache(sealed));
        status.event("tokens-stored");
        // The status record carries the new offset, so Connect stores the sealed cache with it.
        publishStatus();
    }

    /** msal4j's thread stores new tokens while this one moves the watermark: neither may undo the other. */
    private synchronized void updateOffset(java.util.function.UnaryOperator<TaskOffset> change) {
        offset = change.apply(offset);
    }

    private void emitMessage(ObjectNode message) throws InterruptedException {
        log.debug("Service user {}: emitting chat message {}", config.serviceUser(), Reconciler.key(message));
        enqueue(new SourceRecord(partition, offset.toMap(), config.chatMessagesTopic(), null, Schema.STRING_SCHEMA,
                Reconciler.key(message), Schema.STRING_SCHEMA, message.toString(), System.currentTimeMillis()));
    }

    private void publishStatus() {
        try {
            enqueue(new SourceRecord(partition, offset.toMap(), config.statusTopic(), null, Schema.STRING_SCHEMA,
                    config.serviceUser(), Schema.STRING_SCHEMA, status.toJson(), System.currentTimeMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(SourceRecord record) throws InterruptedException {
        while (running && !queue.offer(record, 1, TimeUnit.SECONDS)) {
            log.debug("Record queue full; waiting for poll()");
        }
    }

    private static String describe(String code) {
        return switch (code) {
            case "authorization_declined", "access_denied" -> "the previous sign-in was declined";
            case "expired_token", "code_expired" -> "the previous code expired before anyone signed in";
            case "slow_down" -> "Entra ID asked to poll more slowly";
            case "invalid_grant", "interaction_required" -> "the refresh token was refused (revoked or expired)";
            case "cache_miss", "no_account" -> "no usable tokens stored";
            case "graph_401" -> "Graph refused the access token";
            default -> "sign-in failed: " + code;
        };
    }

    private static Duration backoff(int attempt) {
        long millis = 1000L << Math.min(attempt, 9);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }
}
