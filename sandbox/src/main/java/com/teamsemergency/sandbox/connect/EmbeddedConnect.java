package com.teamsemergency.sandbox.connect;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs one distributed Kafka Connect worker inside this JVM, with its REST interface on 127.0.0.1, and drives it
 * through that REST interface as an operator would.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnect.class);

    /** The worker's default group id; the storage topics are named after it. */
    public static final String DEFAULT_GROUP_ID = "sandbox-connect";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** A worker answers 409 while it rebalances, which a fresh worker often does; such requests are retried. */
    private static final int CONFLICT_RETRIES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How record values are converted; keys are always strings. */
    public enum ValueFormat {
        /** Values pass through as bytes, as MirrorMaker 2 and the Graph connector's notification path want. */
        BYTES("org.apache.kafka.connect.converters.ByteArrayConverter"),
        /** Values are schemaless JSON. */
        JSON("org.apache.kafka.connect.json.JsonConverter");

        private final String converterClass;

        ValueFormat(String converterClass) {
            this.converterClass = converterClass;
        }

        public String converterClass() {
            return converterClass;
        }
    }

    private final Connect<?> connect;
    private final URI restUrl;
    private final HttpClient http;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedConnect(Connect<?> connect, URI restUrl, HttpClient http, Duration startupTime) {
        this.connect = connect;
        this.restUrl = restUrl;
        this.http = http;
        this.startupTime = startupTime;
    }

    /** Starts a worker with byte-array values; {@code extraWorkerProps} override any default. */
    public static EmbeddedConnect start(String bootstrapServers, Map<String, String> extraWorkerProps) {
        return start(bootstrapServers, ValueFormat.BYTES, extraWorkerProps);
    }

    /**
     * Starts a worker and returns once its REST interface reports it healthy; {@code extraWorkerProps} override any
     * default, including the converters that {@code valueFormat} picks.
     */
    public static EmbeddedConnect start(String bootstrapServers, ValueFormat valueFormat,
                                        Map<String, String> extraWorkerProps) {
        long started = System.nanoTime();
        Map<String, String> props = workerProperties(bootstrapServers, valueFormat, extraWorkerProps);
        Connect<?> connect = startWorker(props);
        try {
            URI restUrl = connect.rest().serverUrl();
            if (!"127.0.0.1".equals(restUrl.getHost())) {
                throw new IllegalStateException("Connect REST is not on loopback: " + restUrl);
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            awaitHealthy(http, restUrl);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            log.info("Connect worker {} ready in {} ms, REST on {}", props.get("group.id"), startupTime.toMillis(),
                    restUrl);
            return new EmbeddedConnect(connect, restUrl, http, startupTime);
        } catch (RuntimeException e) {
            stopQuietly(connect);
            throw e;
        }
    }

    static Map<String, String> workerProperties(String bootstrapServers, ValueFormat valueFormat,
                                                Map<String, String> extraWorkerProps) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        String groupId = extraWorkerProps.getOrDefault("group.id", DEFAULT_GROUP_ID);
        props.put("group.id", groupId);
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "5");
        props.put("status.storage.partitions", "1");

        // Port 0: Jetty picks a free port at bind time, so there is no race to lose; the worker then advertises
        // the port it actually got.
        props.put("listeners", "http://127.0.0.1:0");
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.listener", "http");

        // Only ServiceLoader manifests are read: start-up in about 2 s instead of a 7 s classpath scan.
        props.put("plugin.discovery", "service_load");

        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", valueFormat.converterClass());
        props.put("value.converter.schemas.enable", "false");
        props.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");

        props.put("config.providers", "file");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("connector.client.config.override.policy", "All");

        // One worker that comes and goes: do not hold its tasks back for five minutes waiting for it to return.
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("offset.flush.interval.ms", "2000");

        props.putAll(extraWorkerProps);
        return props;
    }

    private static Connect<?> startWorker(Map<String, String> props) {
        // startConnect() ends the JVM when the worker fails to start, and swaps the calling thread's context class
        // loader: turn the first into an exception and undo the second.
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Connect worker failed to start (exit status " + status + "): " + message);
        });
        try {
            return new ConnectDistributed().startConnect(props);
        } finally {
            Exit.resetExitProcedure();
            thread.setContextClassLoader(callerLoader);
        }
    }

    private static void awaitHealthy(HttpClient http, URI restUrl) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder health = HttpRequest.newBuilder(resolve(restUrl, "/health")).GET();
                HttpResponse<String> response = send(http, health);
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            sleep(POLL_INTERVAL);
        }
        throw new IllegalStateException("Connect worker not healthy within " + READY_TIMEOUT + ": " + last);
    }

    /** The worker's REST interface, http://127.0.0.1:port/. */
    public URI restUrl() {
        return restUrl;
    }

    /** How long {@link #start} took, from the call to the worker's first healthy answer. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Creates or replaces a connector; throws {@link ConnectRestException} with the worker's error on 4xx/5xx. */
    public void putConnectorConfig(String name, Map<String, String> config) {
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalArgumentException("Connector config cannot be written as JSON", e);
        }
        HttpResponse<String> response = sendRetryingConflicts(HttpRequest.newBuilder(connectorUri(name, "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        requireSuccess("PUT config of connector " + name, response);
        log.info("Connector {} configured ({})", name, response.statusCode() == 201 ? "created" : "updated");
    }

    /** The worker's status JSON for one connector and its tasks. */
    public String connectorStatusJson(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(connectorUri(name, "/status")).GET());
        requireSuccess("GET status of connector " + name, response);
        return response.body();
    }

    /** The worker's answer to a GET of any path, such as {@code /connector-plugins}; throws on 4xx/5xx. */
    public String getJson(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(resolve(path)).GET());
        requireSuccess("GET " + path, response);
        return response.body();
    }

    /**
     * Waits until the connector and at least one task are RUNNING and no task has FAILED; otherwise throws with
     * the last status JSON, at once when something has failed.
     */
    public void awaitConnectorRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "no status yet";
        while (true) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(connectorUri(name, "/status")).GET());
            if (response.statusCode() == 200) {
                status = response.body();
                JsonNode node = readJson(status);
                String connectorState = node.path("connector").path("state").asText();
                boolean anyTaskRunning = false;
                for (JsonNode task : node.path("tasks")) {
                    String state = task.path("state").asText();
                    if ("FAILED".equals(state)) {
                        throw new ConnectRestException("Task of connector " + name + " failed", 200, status);
                    }
                    anyTaskRunning |= "RUNNING".equals(state);
                }
                if ("FAILED".equals(connectorState)) {
                    throw new ConnectRestException("Connector " + name + " failed", 200, status);
                }
                if ("RUNNING".equals(connectorState) && anyTaskRunning) {
                    return;
                }
            } else if (response.statusCode() != 404) {
                status = response.body();
            }
            if (System.nanoTime() > deadline) {
                throw new ConnectRestException("Connector " + name + " not running within " + timeout,
                        response.statusCode(), status);
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Restarts the connector and, if asked, all its tasks. */
    public void restartConnector(String name, boolean includeTasks) {
        URI uri = withQuery(connectorUri(name, "/restart"), "includeTasks=" + includeTasks + "&onlyFailed=false");
        HttpResponse<String> response =
                sendRetryingConflicts(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
        requireSuccess("restart of connector " + name, response);
        log.info("Connector {} restarted{}", name, includeTasks ? " with its tasks" : "");
    }

    /** Deletes the connector; a connector that does not exist counts as deleted. */
    public void deleteConnector(String name) {
        HttpResponse<String> response = sendRetryingConflicts(HttpRequest.newBuilder(connectorUri(name, "")).DELETE());
        if (response.statusCode() == 404) {
            return;
        }
        requireSuccess("DELETE of connector " + name, response);
        log.info("Connector {} deleted", name);
    }

    /** Stops the worker; safe to call twice. Close it before its broker, or stopping waits on the lost broker. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        stopQuietly(connect);
        log.info("Connect worker stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static void stopQuietly(Connect<?> connect) {
        try {
            connect.stop();
            connect.awaitStop();
        } catch (RuntimeException e) {
            log.warn("Connect worker did not stop cleanly", e);
        }
    }

    private HttpResponse<String> sendRetryingConflicts(HttpRequest.Builder request) {
        HttpResponse<String> response = null;
        for (int attempt = 1; attempt <= CONFLICT_RETRIES; attempt++) {
            response = send(request);
            if (response.statusCode() != 409) {
                return response;
            }
            log.warn("Connect worker busy rebalancing (attempt {} of {}): {}", attempt, CONFLICT_RETRIES,
                    response.body());
            sleep(Duration.ofMillis(250L * attempt));
        }
        return response;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(http, request);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(built.method() + " " + built.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    private static void requireSuccess(String what, HttpResponse<String> response) {
        if (response.statusCode() >= 400) {
            throw new ConnectRestException(what + " failed", response.statusCode(), response.body());
        }
    }

    private URI connectorUri(String name, String suffix) {
        return resolve("/connectors/" + name + suffix);
    }

    private URI resolve(String path) {
        return resolve(restUrl, path);
    }

    private static URI resolve(URI restUrl, String path) {
        try {
            // The multi-argument constructor quotes what a path may not hold raw (spaces, '%', ...).
            return new URI("http", null, restUrl.getHost(), restUrl.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Bad REST path: " + path, e);
        }
    }

    private static URI withQuery(URI uri, String query) {
        return URI.create(uri.toASCIIString() + "?" + query);
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Connect answered with something that is not JSON: " + body, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** A REST call to the worker failed; carries the HTTP status and the worker's answer. */
    public static final class ConnectRestException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int statusCode;
        private final String body;

        public ConnectRestException(String message, int statusCode, String body) {
            super(message + ": HTTP " + statusCode + ": " + body);
            this.statusCode = statusCode;
            this.body = body;
        }

        public int statusCode() {
            return statusCode;
        }

        public String body() {
            return body;
        }
    }
}
