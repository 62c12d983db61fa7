package com.teamsemergency.common.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The private keys that open Graph's encrypted resource data, found by {@code encryptionCertificateId} (the
 * keystore alias) or by certificate thumbprint; several keys at once allow certificate rotation.
 */
public final class NotificationKeyRing {

    private static final Logger log = LoggerFactory.getLogger(NotificationKeyRing.class);

    private final Map<String, PrivateKey> keysById;
    private final Map<String, String> thumbprintsById;
    private final Map<String, String> idsByThumbprint;

    private NotificationKeyRing(Map<String, PrivateKey> keysById, Map<String, String> thumbprintsById) {
        this.keysById = Collections.unmodifiableMap(new LinkedHashMap<>(keysById));
        this.thumbprintsById = Collections.unmodifiableMap(new LinkedHashMap<>(thumbprintsById));
        Map<String, String> byThumbprint = new LinkedHashMap<>();
        thumbprintsById.forEach((id, thumbprint) -> byThumbprint.put(thumbprint, id));
        this.idsByThumbprint = Collections.unmodifiableMap(byThumbprint);
    }

    /**
     * Loads every private-key entry of a PKCS12 file.
     *
     * @throws IllegalArgumentException with a message saying what to fix when the file is missing or unreadable,
     *                                  the password is wrong, or it holds no private key
     */
    public static NotificationKeyRing fromPkcs12(Path file, char[] password) {
        if (file == null) {
            throw new IllegalArgumentException("No notification keystore file is configured");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, password, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The notification keystore " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("The notification keystore " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Loads every private-key entry of a PKCS12 stream; see {@link #fromPkcs12(Path, char[])}. */
    public static NotificationKeyRing fromPkcs12(InputStream in, char[] password) {
        if (in == null) {
            throw new IllegalArgumentException("No notification keystore stream was given");
        }
        return load(in, password, "stream");
    }

    /** Builds a key ring from an already loaded keystore whose entries are protected by {@code password}. */
    public static NotificationKeyRing fromKeyStore(KeyStore store, char[] password) {
        try {
            return index(store, password, store.getType() + " keystore");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The keystore's private keys cannot be read: " + e.getMessage(), e);
        }
    }

    private static NotificationKeyRing load(InputStream in, char[] password, String source) {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            // The JDK reports a wrong PKCS12 password as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("The password of the notification keystore " + source
                        + " is wrong", e);
            }
            throw new IllegalArgumentException("The notification keystore " + source
                    + " is not a readable PKCS12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The notification keystore " + source + " cannot be loaded: "
                    + e.getMessage(), e);
        }
        try {
            return index(store, password, source);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("A private key in the notification keystore " + source
                    + " is protected by a password other than the keystore's", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The private keys of the notification keystore " + source
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static NotificationKeyRing index(KeyStore store, char[] password, String source)
            throws GeneralSecurityException {
        Map<String, PrivateKey> keys = new LinkedHashMap<>();
        Map<String, String> thumbprints = new LinkedHashMap<>();
        Enumeration<String> aliases = store.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            if (!store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                continue;
            }
            KeyStore.PrivateKeyEntry entry = (KeyStore.PrivateKeyEntry) store.getEntry(alias,
                    new KeyStore.PasswordProtection(password));
            keys.put(alias, entry.getPrivateKey());
            thumbprints.put(alias, thumbprint(entry.getCertificate()));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("The notification keystore " + source + " holds no private key; it "
                    + "needs one entry per encryptionCertificateId, with that id as alias");
        }
        // Ids and thumbprints are public (Graph sends them in every notification); the keys are never logged.
        log.info("Loaded {} notification key(s) from {}: {}", keys.size(), source, thumbprints);
        return new NotificationKeyRing(keys, thumbprints);
    }

    private static String thumbprint(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    /**
     * The private key for a certificate id. PKCS12 aliases may come back lower-cased, so an exact match is tried
     * first and a case-insensitive one second.
     */
    public Optional<PrivateKey> privateKey(String certificateId) {
        return resolveId(certificateId).map(keysById::get);
    }

    /** The private key whose certificate has this SHA-1 thumbprint (hex, any case, separators ignored). */
    public Optional<PrivateKey> privateKeyByThumbprint(String thumbprint) {
        return certificateIdByThumbprint(thumbprint).map(keysById::get);
    }

    /** The certificate id (alias) whose certificate has this SHA-1 thumbprint. */
    public Optional<String> certificateIdByThumbprint(String thumbprint) {
        if (thumbprint == null) {
            return Optional.empty();
        }
        String normalised = thumbprint.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
        return Optional.ofNullable(idsByThumbprint.get(normalised));
    }

    /** The upper-case hex SHA-1 thumbprint of the certificate stored with this id. */
    public Optional<String> thumbprint(String certificateId) {
        return resolveId(certificateId).map(thumbprintsById::get);
    }

    /** The certificate ids (aliases) this key ring holds keys for. */
    public Set<String> certificateIds() {
        return keysById.keySet();
    }

    private Optional<String> resolveId(String certificateId) {
        if (certificateId == null) {
            return Optional.empty();
        }
        if (keysById.containsKey(certificateId)) {
            return Optional.of(certificateId);
        }
        return keysById.keySet().stream().filter(certificateId::equalsIgnoreCase).findFirst();
    }

    @Override
    public String toString() {
        return "NotificationKeyRing" + thumbprintsById;
    }
}
