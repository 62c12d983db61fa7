package com.teamsemergency.common.crypto;

import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.notification.EncryptedContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Decrypts the resource data of Graph change notifications: RSA-OAEP unwraps the symmetric key, HMAC-SHA256 over
 * the ciphertext is checked, then AES-CBC yields the resource's JSON.
 *
 * <p>Thread-safe: each thread keeps its own cipher and MAC instances (a JCA lookup per notification costs more than
 * it needs to on the hot path), re-initialised for every notification; the key ring is immutable.
 */
public final class NotificationDecryptor {

    private static final Logger log = LoggerFactory.getLogger(NotificationDecryptor.class);

    private static final String KEY_WRAP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final String SIGNATURE = "HmacSHA256";
    private static final String CONTENT = "AES/CBC/PKCS5Padding";
    // Graph documents AES-256; any other size means the wrong private key or a forged dataKey.
    private static final int SYMMETRIC_KEY_BYTES = 32;
    private static final int IV_BYTES = 16;

    private static final ThreadLocal<Cipher> KEY_WRAP_CIPHER = ThreadLocal.withInitial(() -> cipher(KEY_WRAP));
    private static final ThreadLocal<Cipher> CONTENT_CIPHER = ThreadLocal.withInitial(() -> cipher(CONTENT));
    private static final ThreadLocal<Mac> SIGNATURE_MAC = ThreadLocal.withInitial(() -> mac(SIGNATURE));

    private final NotificationKeyRing keys;

    public NotificationDecryptor(NotificationKeyRing keys) {
        if (keys == null) {
            throw new IllegalArgumentException("a notification key ring is required");
        }
        this.keys = keys;
    }

    /**
     * Returns the plaintext (the resource's JSON, UTF-8) of a notification's encrypted content.
     *
     * @throws DecryptionException {@code UNKNOWN_CERTIFICATE} when no key matches the certificate id or thumbprint,
     *                             {@code BAD_SIGNATURE} when the HMAC does not match (nothing is decrypted then),
     *                             {@code UNDECRYPTABLE} for missing fields, bad base64, a wrong key size or padding
     */
    public byte[] decrypt(EncryptedContent content) throws DecryptionException {
        if (content == null) {
            throw undecryptable("the notification has no encrypted content", null);
        }
        PrivateKey privateKey = chooseKey(content);
        byte[] ciphertext = base64(content.data(), "data");
        byte[] wrappedKey = base64(content.dataKey(), "dataKey");
        byte[] expectedSignature = base64(content.dataSignature(), "dataSignature");

        byte[] symmetricKey = unwrap(privateKey, wrappedKey);
        try {
            verify(symmetricKey, ciphertext, expectedSignature);
            return decryptContent(symmetricKey, ciphertext);
        } finally {
            Arrays.fill(symmetricKey, (byte) 0);
        }
    }

    private PrivateKey chooseKey(EncryptedContent content) throws DecryptionException {
        String id = content.encryptionCertificateId();
        String thumbprint = content.encryptionCertificateThumbprint();
        boolean hasThumbprint = thumbprint != null && !thumbprint.isBlank();

        Optional<PrivateKey> byId = keys.privateKey(id);
        if (byId.isPresent()) {
            Optional<String> ours = keys.thumbprint(id);
            if (!hasThumbprint || ours.isEmpty() || sameThumbprint(ours.get(), thumbprint)) {
                return byId.get();
            }
            // The id is ours but the certificate is not the one stored under it (e.g. rotated under the same id).
            Optional<PrivateKey> byThumbprint = keys.privateKeyByThumbprint(thumbprint);
            if (byThumbprint.isPresent()) {
                log.debug("Certificate id {} names thumbprint {}, found under alias {}", id, thumbprint,
                        keys.certificateIdByThumbprint(thumbprint).orElse("?"));
                return byThumbprint.get();
            }
            throw new DecryptionException(DeadLetterReason.UNKNOWN_CERTIFICATE, "the notification names certificate "
                    + "id '" + id + "' with thumbprint " + thumbprint + ", but the keystore's key for that id belongs "
                    + "to certificate " + ours.get() + "; add the private key of certificate " + thumbprint
                    + " to the keystore");
        }
        if (hasThumbprint) {
            Optional<PrivateKey> byThumbprint = keys.privateKeyByThumbprint(thumbprint);
            if (byThumbprint.isPresent()) {
                log.debug("Certificate id {} is not an alias; key found by thumbprint {}", id, thumbprint);
                return byThumbprint.get();
            }
        }
        throw new DecryptionException(DeadLetterReason.UNKNOWN_CERTIFICATE, "no private key for certificate id '"
                + id + "'" + (hasThumbprint ? " (thumbprint " + thumbprint + ")" : "") + "; the keystore holds "
                + keys.certificateIds() + ". Add the private key of that certificate to the keystore under alias '"
                + id + "'");
    }

    private static boolean sameThumbprint(String ours, String theirs) {
        return ours.equals(theirs.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT));
    }

    private static byte[] unwrap(PrivateKey privateKey, byte[] wrappedKey) throws DecryptionException {
        byte[] symmetricKey;
        try {
            Cipher rsa = KEY_WRAP_CIPHER.get();
            rsa.init(Cipher.DECRYPT_MODE, privateKey);
            symmetricKey = rsa.doFinal(wrappedKey);
        } catch (GeneralSecurityException e) {
            throw undecryptable("the dataKey cannot be unwrapped with the private key of this certificate id ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (symmetricKey.length != SYMMETRIC_KEY_BYTES) {
            int length = symmetricKey.length;
            Arrays.fill(symmetricKey, (byte) 0);
            throw undecryptable("the unwrapped key has " + length + " bytes, not " + SYMMETRIC_KEY_BYTES, null);
        }
        return symmetricKey;
    }

    private static void verify(byte[] symmetricKey, byte[] ciphertext, byte[] expectedSignature)
            throws DecryptionException {
        byte[] actual;
        try {
            Mac mac = SIGNATURE_MAC.get();
            mac.init(new SecretKeySpec(symmetricKey, SIGNATURE));
            actual = mac.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw undecryptable("the signature cannot be computed (" + e.getClass().getSimpleName() + ")", e);
        }
        // Constant time, so that a forger learns nothing from how long the rejection took.
        if (!MessageDigest.isEqual(actual, expectedSignature)) {
            throw new DecryptionException(DeadLetterReason.BAD_SIGNATURE,
                    "the dataSignature does not match the HMAC-SHA256 of the data; nothing was decrypted");
        }
    }

    private static byte[] decryptContent(byte[] symmetricKey, byte[] ciphertext) throws DecryptionException {
        try {
            Cipher aes = CONTENT_CIPHER.get();
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(symmetricKey, "AES"),
                    new IvParameterSpec(symmetricKey, 0, IV_BYTES));
            return aes.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw undecryptable("the data cannot be decrypted (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + transformation + ", which Graph's encryption needs", e);
        }
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks " + algorithm + ", which Graph's encryption needs", e);
        }
    }

    private static byte[] base64(String value, String field) throws DecryptionException {
        if (value == null || value.isEmpty()) {
            throw undecryptable("the encrypted content has no " + field, null);
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw undecryptable("the " + field + " is not valid base64", e);
        }
    }

    private static DecryptionException undecryptable(String message, Throwable cause) {
        return new DecryptionException(DeadLetterReason.UNDECRYPTABLE, message, cause);
    }
}
