package com.teamsemergency.sandbox.entra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;

import com.teamsemergency.sandbox.tls.LoopbackHttpsServer;

/**
 * A stand-in for Entra ID's v2.0 endpoints over HTTPS on 127.0.0.1: the device authorization grant and the refresh
 * token grant for one user of one tenant, with the OAuth errors the documentation lists, and switches that let a
 * test or the demo act as the person (approve, decline) or as an administrator (revoke refresh tokens).
 *
 * <p>Tokens are opaque random strings, except the id token: an unsigned JWT with the claims msal4j reads. Refresh
 * tokens stay valid after use, as Entra's do, until {@link #revokeRefreshTokens()}.
 */
public final class EntraEmulator implements AutoCloseable {

    /** The emulated service user. */
    public record User(String objectId, String tenantId, String userPrincipalName, String displayName) {
    }

    /** A device code sign-in waiting for a person. */
    public record PendingSignIn(String userCode, String verificationUri, Instant expiresAt, String clientId) {
    }

    private enum State { PENDING, APPROVED, DECLINED, REDEEMED }

    private static final class DeviceCode {
        final String deviceCode;
        final String userCode;
        final String clientId;
        final String scope;
        final Instant expiresAt;
        volatile State state = State.PENDING;

        DeviceCode(String deviceCode, String userCode, String clientId, String scope, Instant expiresAt) {
            this.deviceCode = deviceCode;
            this.userCode = userCode;
            this.clientId = clientId;
            this.scope = scope;
            this.expiresAt = expiresAt;
        }
    }

    private record AccessToken(User user, Instant expiresAt, long generation) {
    }

    private record RefreshToken(String clientId, long generation) {
    }

    private static final Logger log = LoggerFactory.getLogger(EntraEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Entra lists only the resource's scopes in a token response, never openid, profile or offline_access. */
    private static final List<String> OIDC_SCOPES = List.of("openid", "profile", "offline_access", "email");
    private static final String USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final User user;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, DeviceCode> deviceCodes = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger slowDowns = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger deviceCodeRequests = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long generation;
    private volatile Duration accessTokenLifetime = Duration.ofMinutes(60);
    private volatile Duration deviceCodeLifetime = Duration.ofMinutes(15);
    private volatile int pollIntervalSeconds = 1;

    private EntraEmulator(HttpsServer server, ExecutorService executor, User user) {
        this.server = server;
        this.executor = executor;
        this.user = user;
    }

    /** Starts the emulator on a free port of 127.0.0.1, serving {@code tls}'s certificate. */
    public static EntraEmulator start(SSLContext tls, User user) {
        try {
            LoopbackHttpsServer https = LoopbackHttpsServer.create(tls, "entra-emulator");
            HttpsServer server = https.server();
            EntraEmulator emulator = new EntraEmulator(server, https.executor(), user);
            server.createContext("/", emulator::handle);
            server.start();
            log.info("Entra ID emulator listening on {} for tenant {}", emulator.authorityHost(), user.tenantId());
            return emulator;
        } catch (IOException e) {
            throw new IllegalStateException("Entra ID emulator could not start", e);
        }
    }

    /** A default user of a made-up tenant. */
    public static User defaultUser() {
        return new User("3f6a2b1c-8d4e-4f5a-9b0c-1d2e3f4a5b6c", "5f1d7c2a-0b4e-4c1f-9a1e-3d2b6c7e8f90",
                "security-desk@contoso.example", "Security Desk");
    }

    /** What goes into the connector's {@code entra.authority.host}: https://127.0.0.1:port. */
    public String authorityHost() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tenantId() {
        return user.tenantId();
    }

    public User user() {
        return user;
    }

    /** Device code sign-ins that wait for a person, oldest first. */
    public List<PendingSignIn> pendingSignIns() {
        List<PendingSignIn> pending = new ArrayList<>();
        Instant now = Instant.now();
        deviceCodes.values().stream()
                .filter(c -> c.state == State.PENDING && c.expiresAt.isAfter(now))
                .sorted((a, b) -> a.expiresAt.compareTo(b.expiresAt))
                .forEach(c -> pending.add(new PendingSignIn(c.userCode, verificationUri(), c.expiresAt, c.clientId)));
        return pending;
    }

    /** The person signs in and consents; false when no pending sign-in has that code. */
    public boolean approve(String userCode) {
        return transition(userCode, State.APPROVED);
    }

    /** The person declines the sign-in. */
    public boolean decline(String userCode) {
        return transition(userCode, State.DECLINED);
    }

    /**
     * An administrator revokes the user's sessions: every refresh token issued so far answers {@code invalid_grant},
     * and (as with continuous access evaluation) Graph refuses the access tokens issued so far.
     */
    public void revokeRefreshTokens() {
        generation++;
        log.info("Entra ID emulator: refresh tokens of {} revoked", user.userPrincipalName());
    }

    /** The next token poll of a device code answers {@code slow_down}. */
    public void slowDownNext() {
        slowDowns.incrementAndGet();
    }

    public void accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    public void deviceCodeLifetime(Duration lifetime) {
        this.deviceCodeLifetime = lifetime;
    }

    /** The polling interval handed out with device codes; Entra's is 5 s, the emulator's default 1 s. */
    public void pollIntervalSeconds(int seconds) {
        this.pollIntervalSeconds = seconds;
    }

    /** The user an access token belongs to, if it is one this emulator issued and it is still good. */
    public Optional<User> userOf(String accessToken) {
        AccessToken token = accessToken == null ? null : accessTokens.get(accessToken);
        if (token == null || token.expiresAt().isBefore(Instant.now()) || token.generation() != generation) {
            return Optional.empty();
        }
        return Optional.of(token.user());
    }

    public int deviceCodeRequests() {
        return deviceCodeRequests.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    private boolean transition(String userCode, State to) {
        for (DeviceCode code : deviceCodes.values()) {
            if (code.userCode.equalsIgnoreCase(userCode) && code.state == State.PENDING) {
                code.state = to;
                log.info("Entra ID emulator: sign-in {} {}", userCode, to == State.APPROVED ? "approved" : "declined");
                return true;
            }
        }
        return false;
    }

    private String verificationUri() {
        return authorityHost() + "/devicelogin";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = exchange.getRequestHeaders().getFirst("client-request-id");
            if (requestId != null) {
                // msal4j warns when the correlation id does not come back.
                exchange.getResponseHeaders().add("client-request-id", requestId);
            }
            String[] path = exchange.getRequestURI().getPath().split("/");
            String method = exchange.getRequestMethod();
            if (path.length == 5 && "oauth2".equals(path[2]) && "v2.0".equals(path[3]) && "POST".equals(method)) {
                if (!tenantMatches(path[1])) {
                    error(exchange, 400, "invalid_tenant", "AADSTS90002: Tenant '" + path[1] + "' not found.");
                    return;
                }
                Map<String, String> form = form(exchange.getRequestBody());
                switch (path[4]) {
                    case "devicecode" -> deviceCode(exchange, form);
                    case "token" -> token(exchange, form);
                    default -> error(exchange, 404, "not_found", "no such endpoint");
                }
                return;
            }
            if (exchange.getRequestURI().getPath().endsWith("/.well-known/openid-configuration")) {
                openIdConfiguration(exchange, path[1]);
                return;
            }
            error(exchange, 404, "not_found", "no such endpoint: " + method + " " + exchange.getRequestURI().getPath());
        } catch (RuntimeException e) {
            log.warn("Entra ID emulator failed on {}", exchange.getRequestURI().getPath(), e);
            error(exchange, 500, "server_error", "emulator failure");
        }
    }

    private boolean tenantMatches(String tenant) {
        String domain = user.userPrincipalName().substring(user.userPrincipalName().indexOf('@') + 1);
        return tenant.equals(user.tenantId()) || tenant.equals("organizations") || tenant.equals("common")
                || tenant.equalsIgnoreCase(domain);
    }

    private void deviceCode(HttpExchange exchange, Map<String, String> form) throws IOException {
        deviceCodeRequests.incrementAndGet();
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            error(exchange, 400, "invalid_request", "AADSTS900144: The request body must contain client_id.");
            return;
        }
        String deviceCode = token(48);
        String userCode = userCode();
        Instant expiresAt = Instant.now().plus(deviceCodeLifetime);
        deviceCodes.put(deviceCode, new DeviceCode(deviceCode, userCode, clientId, form.getOrDefault("scope", ""),
                expiresAt));
        ObjectNode body = JSON.createObjectNode();
        body.put("user_code", userCode);
        body.put("device_code", deviceCode);
        body.put("verification_uri", verificationUri());
        body.put("expires_in", deviceCodeLifetime.toSeconds());
        body.put("interval", pollIntervalSeconds);
        body.put("message", "To sign in, use a web browser to open the page " + verificationUri()
                + " and enter the code " + userCode + " to authenticate.");
        log.info("Entra ID emulator: device code issued, user code {}", userCode);
        respond(exchange, 200, body);
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        tokenRequests.incrementAndGet();
        String grant = form.getOrDefault("grant_type", "");
        switch (grant) {
            // msal4j posts the short form; RFC 8628 clients post the URN.
            case "device_code", "urn:ietf:params:oauth:grant-type:device_code" -> deviceCodeGrant(exchange, form);
            case "refresh_token" -> refreshGrant(exchange, form);
            default -> error(exchange, 400, "unsupported_grant_type", "AADSTS70003: The app requested an "
                    + "unsupported grant type '" + grant + "'.");
        }
    }

    private void deviceCodeGrant(HttpExchange exchange, Map<String, String> form) throws IOException {
        String value = form.getOrDefault("device_code", form.get("code"));
        DeviceCode code = value == null ? null : deviceCodes.get(value);
        if (code == null) {
            error(exchange, 400, "bad_verification_code", "AADSTS70019: Verification code not recognized.");
            return;
        }
        if (code.expiresAt.isBefore(Instant.now()) && code.state != State.REDEEMED) {
            deviceCodes.remove(value);
            error(exchange, 400, "expired_token", "AADSTS70020: The provided value for the input parameter "
                    + "'device_code' is not valid. This device code has expired.");
            return;
        }
        if (slowDowns.get() > 0 && slowDowns.getAndDecrement() > 0) {
            error(exchange, 400, "slow_down", "AADSTS70016: Polling too frequently; slow down.");
            return;
        }
        switch (code.state) {
            case PENDING -> error(exchange, 400, "authorization_pending", "AADSTS70016: OAuth 2.0 device flow "
                    + "error. Authorization is pending. Continue polling.");
            case DECLINED -> {
                deviceCodes.remove(value);
                error(exchange, 400, "authorization_declined", "AADSTS70000: The user declined the sign-in.");
            }
            case REDEEMED -> error(exchange, 400, "invalid_grant", "AADSTS54005: The device code was already "
                    + "redeemed.");
            case APPROVED -> {
                code.state = State.REDEEMED;
                respond(exchange, 200, tokens(code.clientId, code.scope));
            }
        }
    }

    private void refreshGrant(HttpExchange exchange, Map<String, String> form) throws IOException {
        RefreshToken refresh = refreshTokens.get(form.getOrDefault("refresh_token", ""));
        String clientId = form.get("client_id");
        if (refresh == null || refresh.generation() != generation || !refresh.clientId().equals(clientId)) {
            error(exchange, 400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it being "
                    + "revoked, a fresh auth token is needed. The user might have changed or reset their password.");
            return;
        }
        respond(exchange, 200, tokens(clientId, form.getOrDefault("scope", "")));
    }

    private ObjectNode tokens(String clientId, String requestedScope) {
        Instant now = Instant.now();
        String access = token(64);
        String refresh = token(64);
        accessTokens.put(access, new AccessToken(user, now.plus(accessTokenLifetime), generation));
        refreshTokens.put(refresh, new RefreshToken(clientId, generation));
        List<String> granted = new ArrayList<>();
        for (String scope : requestedScope.split(" ")) {
            if (!scope.isBlank() && !OIDC_SCOPES.contains(scope)) {
                granted.add(scope);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", granted));
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("ext_expires_in", accessTokenLifetime.toSeconds());
        body.put("access_token", access);
        body.put("refresh_token", refresh);
        body.put("id_token", idToken(clientId, now));
        ObjectNode clientInfo = JSON.createObjectNode().put("uid", user.objectId()).put("utid", user.tenantId());
        body.put("client_info", base64Url(clientInfo.toString().getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    private String idToken(String clientId, Instant now) {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "none");
        ObjectNode claims = JSON.createObjectNode();
        claims.put("aud", clientId);
        claims.put("iss", authorityHost() + "/" + user.tenantId() + "/v2.0");
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("name", user.displayName());
        claims.put("oid", user.objectId());
        claims.put("preferred_username", user.userPrincipalName());
        claims.put("sub", user.objectId());
        claims.put("tid", user.tenantId());
        claims.put("ver", "2.0");
        return base64Url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private void openIdConfiguration(HttpExchange exchange, String tenant) throws IOException {
        String base = authorityHost() + "/" + tenant;
        ObjectNode body = JSON.createObjectNode();
        body.put("issuer", authorityHost() + "/" + user.tenantId() + "/v2.0");
        body.put("token_endpoint", base + "/oauth2/v2.0/token");
        body.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
        body.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        body.putArray("grant_types_supported").add("urn:ietf:params:oauth:grant-type:device_code")
                .add("refresh_token");
        respond(exchange, 200, body);
    }

    private String userCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            code.append(USER_CODE_LETTERS.charAt(random.nextInt(USER_CODE_LETTERS.length())));
        }
        return code.toString();
    }

    private String token(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return base64Url(raw);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        Map<String, String> form = new HashMap<>();
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private void error(HttpExchange exchange, int status, String code, String description) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("error_description", description);
        body.putArray("error_codes").add(0);
        body.put("timestamp", Instant.now().toString());
        body.put("trace_id", token(8));
        body.put("correlation_id", token(8));
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
