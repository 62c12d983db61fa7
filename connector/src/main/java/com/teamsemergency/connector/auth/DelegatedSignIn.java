package com.teamsemergency.connector.auth;

import java.net.MalformedURLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.apache.kafka.common.config.ConfigException;

import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.teamsemergency.connector.config.ConnectorConfig;

/**
 * Signs the service user in with the device code flow and keeps a Graph access token at hand through msal4j,
 * delegated permissions only.
 */
public final class DelegatedSignIn implements AutoCloseable {

    /** What the connector calls Graph with; silent calls ask for these only, so that cached tokens are found. */
    public static final Set<String> GRAPH_SCOPES = Set.of("User.Read", "Chat.Read", "Chat.ReadBasic",
            "ChatMessage.Read");

    /** Asked for at sign-in: the Graph scopes, an id token, and the refresh token that keeps the task running. */
    public static final Set<String> SIGN_IN_SCOPES;

    static {
        Set<String> scopes = new LinkedHashSet<>(GRAPH_SCOPES);
        scopes.add("openid");
        scopes.add("offline_access");
        scopes.add("profile");
        SIGN_IN_SCOPES = Set.copyOf(scopes);
    }

    private final String authority;
    private final ExecutorService executor;
    private final PublicClientApplication application;
    private volatile CompletableFuture<IAuthenticationResult> pending;

    public DelegatedSignIn(ConnectorConfig config, SSLContext tls, PersistedTokenCache cache, String threadName) {
        this.authority = config.authority();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.application = PublicClientApplication.builder(config.clientId())
                    .authority(authority)
                    // Instance discovery would call login.microsoftonline.com whatever the configured authority.
                    .instanceDiscovery(false)
                    .sslSocketFactory(tls.getSocketFactory())
                    .connectTimeoutForDefaultHttpClient((int) config.requestTimeout().toMillis())
                    .readTimeoutForDefaultHttpClient((int) config.requestTimeout().toMillis())
                    .executorService(executor)
                    .setTokenCacheAccessAspect(cache)
                    .build();
        } catch (MalformedURLException e) {
            throw new ConfigException(ConnectorConfig.ENTRA_AUTHORITY_HOST, authority, e.getMessage());
        }
    }

    /** Whether the cache holds an account whose refresh token may still be good. */
    public boolean hasAccount() {
        return account() != null;
    }

    /**
     * An access token for Graph from the cache, refreshed by msal4j when it nears expiry.
     *
     * @throws SignInRequiredException when the cache holds no account; an {@code ExecutionException} wrapping
     *         msal4j's exception when the refresh failed (see {@code ErrorClassifier})
     */
    public IAuthenticationResult silentToken(boolean forceRefresh) throws InterruptedException, ExecutionException {
        IAccount account = account();
        if (account == null) {
            throw new SignInRequiredException("no signed-in account in the token cache");
        }
        // authorityUrl: msal4j would otherwise rebuild the authority from the account's environment, without port.
        SilentParameters parameters = SilentParameters.builder(GRAPH_SCOPES, account).authorityUrl(authority)
                .forceRefresh(forceRefresh).build();
        try {
            return application.acquireTokenSilently(parameters).get();
        } catch (MalformedURLException e) {
            throw new ConfigException(ConnectorConfig.ENTRA_AUTHORITY_HOST, authority, e.getMessage());
        }
    }

    /**
     * Runs one device code sign-in to its end: hands the prompt to {@code onPrompt} as soon as Entra issues it, then
     * waits while msal4j polls. Throws what Entra answered when it is not a success.
     */
    public IAuthenticationResult signIn(Consumer<SignInPrompt> onPrompt) throws InterruptedException,
            ExecutionException {
        DeviceCodeFlowParameters parameters = DeviceCodeFlowParameters.builder(SIGN_IN_SCOPES, code ->
                onPrompt.accept(new SignInPrompt(code.verificationUri(), code.userCode(),
                        Instant.now().plusSeconds(code.expiresIn()), code.message()))).build();
        CompletableFuture<IAuthenticationResult> future = application.acquireToken(parameters);
        pending = future;
        try {
            return future.get();
        } finally {
            pending = null;
        }
    }

    private IAccount account() {
        Set<IAccount> accounts = application.getAccounts().join();
        return accounts.isEmpty() ? null : accounts.iterator().next();
    }

    /** Forgets every account, after Entra refused its refresh token: the next step is a new sign-in. */
    public void forgetAccounts() {
        for (IAccount account : application.getAccounts().join()) {
            application.removeAccount(account).join();
        }
    }

    @Override
    public void close() {
        CompletableFuture<IAuthenticationResult> future = pending;
        if (future != null) {
            // msal4j checks this between polls and stops asking Entra.
            future.cancel(true);
        }
        executor.shutdownNow();
    }
}
