package com.teamsemergency.connector.auth;

import java.util.function.Consumer;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;

/**
 * Gives msal4j its token cache from memory and hands every change, sealed by the {@link TokenCacheVault}, to the
 * task so that it is stored with the next source offset. The clear cache lives only in this object's memory.
 */
public final class PersistedTokenCache implements ITokenCacheAccessAspect {

    private final TokenCacheVault vault;
    private final Consumer<String> sealedSink;
    private volatile String cache;

    /**
     * @param vault seals the cache
     * @param sealedCache what the offset held, or null
     * @param sealedSink receives each changed cache, sealed
     * @throws TokenCacheVault.SealedCacheUnreadableException when the stored cache cannot be opened
     */
    public PersistedTokenCache(TokenCacheVault vault, String sealedCache, Consumer<String> sealedSink) {
        this.vault = vault;
        this.sealedSink = sealedSink;
        this.cache = sealedCache == null ? null : vault.open(sealedCache);
    }

    @Override
    public void beforeCacheAccess(ITokenCacheAccessContext context) {
        String current = cache;
        if (current != null) {
            context.tokenCache().deserialize(current);
        }
    }

    @Override
    public void afterCacheAccess(ITokenCacheAccessContext context) {
        if (context.hasCacheChanged()) {
            String current = context.tokenCache().serialize();
            cache = current;
            sealedSink.accept(vault.seal(current));
        }
    }
}
