package com.teamsemergency.connector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenCacheVaultTest {

    private static final String CACHE = "{\"RefreshToken\":{\"k\":{\"secret\":\"refresh-token-value\"}}}";

    @Test
    void opensWhatItSealed() {
        TokenCacheVault vault = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk");
        assertEquals(CACHE, vault.open(vault.seal(CACHE)));
    }

    @Test
    void anotherVaultWithTheSameSecretOpensIt() {
        String sealed = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").seal(CACHE);
        assertEquals(CACHE, new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").open(sealed));
    }

    @Test
    void sealedFormHidesTheTokens() {
        String sealed = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").seal(CACHE);
        assertFalse(sealed.contains("refresh-token-value"));
        assertNotEquals(sealed, new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").seal(CACHE));
    }

    @Test
    void rejectsAnotherKey() {
        String sealed = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").seal(CACHE);
        TokenCacheVault other = new TokenCacheVault("fedcba9876543210", "graph-chat", "desk");
        assertThrows(TokenCacheVault.SealedCacheUnreadableException.class, () -> other.open(sealed));
    }

    @Test
    void rejectsAnotherServiceUsersCache() {
        String sealed = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk").seal(CACHE);
        TokenCacheVault other = new TokenCacheVault("0123456789abcdef", "graph-chat", "lobby");
        assertThrows(TokenCacheVault.SealedCacheUnreadableException.class, () -> other.open(sealed));
    }

    @Test
    void rejectsTamperedCiphertext() {
        TokenCacheVault vault = new TokenCacheVault("0123456789abcdef", "graph-chat", "desk");
        String sealed = vault.seal(CACHE);
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 2);
        assertThrows(TokenCacheVault.SealedCacheUnreadableException.class, () -> vault.open(tampered));
    }
}
