package com.teamsemergency.connector.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the serialized msal4j token cache with AES-256-GCM under a key derived (PBKDF2-HMAC-SHA256) from
 * the configured secret, bound to the connector and service user so that a blob cannot be moved between them.
 *
 * <p>Format: {@code v1.} + base64(salt[16] | iv[12] | ciphertext+tag). The salt is chosen once per vault, so the
 * costly derivation runs once per task, not on every token refresh.
 */
public final class TokenCacheVault {

    private static final String PREFIX = "v1.";
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int ITERATIONS = 120_000;

    private final char[] secret;
    private final byte[] associatedData;
    private final SecureRandom random = new SecureRandom();
    private final byte[] salt = new byte[SALT_BYTES];
    private final SecretKey key;

    public TokenCacheVault(String secret, String connectorName, String serviceUser) {
        this.secret = secret.toCharArray();
        this.associatedData = (connectorName + "/" + serviceUser).getBytes(StandardCharsets.UTF_8);
        random.nextBytes(salt);
        this.key = derive(salt);
    }

    public String seal(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[SALT_BYTES + IV_BYTES + sealed.length];
            System.arraycopy(salt, 0, out, 0, SALT_BYTES);
            System.arraycopy(iv, 0, out, SALT_BYTES, IV_BYTES);
            System.arraycopy(sealed, 0, out, SALT_BYTES + IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens a sealed cache.
     *
     * @throws SealedCacheUnreadableException when the blob was sealed under another key or was altered
     */
    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SealedCacheUnreadableException("the stored token cache has an unknown format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length < SALT_BYTES + IV_BYTES + TAG_BITS / 8) {
                throw new SealedCacheUnreadableException("the stored token cache is truncated");
            }
            byte[] blobSalt = Arrays.copyOfRange(in, 0, SALT_BYTES);
            SecretKey blobKey = Arrays.equals(blobSalt, salt) ? key : derive(blobSalt);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, blobKey, new GCMParameterSpec(TAG_BITS, in, SALT_BYTES, IV_BYTES));
            cipher.updateAAD(associatedData);
            byte[] plain = cipher.doFinal(in, SALT_BYTES + IV_BYTES, in.length - SALT_BYTES - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SealedCacheUnreadableException("the stored token cache cannot be opened with the configured "
                    + "key (changed token.cache.encryption.key, another connector's cache, or tampering)");
        }
    }

    private SecretKey derive(byte[] withSalt) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] raw = factory.generateSecret(new PBEKeySpec(secret, withSalt, ITERATIONS, 256)).getEncoded();
            return new SecretKeySpec(raw, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }

    /** The stored cache cannot be used; the task signs in again instead of failing. */
    public static final class SealedCacheUnreadableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SealedCacheUnreadableException(String message) {
            super(message);
        }
    }
}
