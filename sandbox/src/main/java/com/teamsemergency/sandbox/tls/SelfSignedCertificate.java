package com.teamsemergency.sandbox.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, at run time, an RSA key pair with a self-signed certificate in a PKCS12 keystore, and a PKCS12 truststore
 * holding only that certificate, for the sandbox's TLS listeners and for encrypting rich notifications.
 */
public final class SelfSignedCertificate {

    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);

    /** Environment variable through which the password reaches keytool, so it never shows in a process list. */
    private static final String PASSWORD_VARIABLE = "SANDBOX_KEYSTORE_PASSWORD";
    private static final String STORE_TYPE = "PKCS12";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final String alias;
    private final Path keystore;
    private final Path truststore;
    private final char[] password;
    private final X509Certificate certificate;

    private SelfSignedCertificate(String alias, Path keystore, Path truststore, char[] password,
                                  X509Certificate certificate) {
        this.alias = alias;
        this.keystore = keystore;
        this.truststore = truststore;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * Creates a server certificate for CN=localhost whose subject alternative names cover both {@code localhost}
     * and {@code 127.0.0.1}, so that clients keep https host name verification on.
     */
    public static SelfSignedCertificate create(Path dir, String alias, char[] password) {
        return generate(dir, alias, password, "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    }

    /**
     * Creates the key pair a Graph subscription encrypts its resource data to; the alias is the subscription's
     * {@code encryptionCertificateId}.
     */
    public static SelfSignedCertificate createNotificationKey(Path dir, String certificateId, char[] password) {
        return generate(dir, certificateId, password, "CN=teams-emergency-alerts notifications", null);
    }

    private static SelfSignedCertificate generate(Path dir, String alias, char[] password, String distinguishedName,
                                                  String extension) {
        if (alias == null || alias.isBlank()) {
            throw new IllegalArgumentException("alias must not be blank");
        }
        if (password == null || password.length < 6) {
            // keytool refuses PKCS12 passwords shorter than six characters.
            throw new IllegalArgumentException("password must have at least 6 characters");
        }
        long started = System.nanoTime();
        char[] ownPassword = password.clone();
        String fileStem = alias.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve(fileStem + ".keystore.p12");
            Path truststore = dir.resolve(fileStem + ".truststore.p12");
            Files.deleteIfExists(keystore);
            Files.deleteIfExists(truststore);

            List<String> command = new ArrayList<>(List.of(
                    keytoolPath().toString(), "-genkeypair", "-noprompt",
                    "-alias", alias,
                    "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                    "-dname", distinguishedName,
                    "-startdate", "-1d", "-validity", "825",
                    "-storetype", STORE_TYPE, "-keystore", keystore.toString(),
                    "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
            if (extension != null) {
                command.add("-ext");
                command.add(extension);
            }
            runKeytool(command, ownPassword);

            KeyStore keys = load(keystore, ownPassword);
            X509Certificate certificate = (X509Certificate) keys.getCertificate(alias);
            if (certificate == null) {
                throw new IllegalStateException("keytool wrote no certificate under alias " + alias);
            }
            writeTruststore(truststore, alias, certificate, ownPassword);
            log.info("Created self-signed certificate {} in {} ({} ms)", alias, dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new SelfSignedCertificate(alias, keystore, truststore, ownPassword, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not create self-signed certificate " + alias + " in " + dir, e);
        }
    }

    private static Path keytoolPath() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    private static void runKeytool(List<String> command, char[] password) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, new String(password));
        Process process = builder.start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool exited with " + process.exitValue() + ": "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    private static void writeTruststore(Path path, String alias, X509Certificate certificate, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        store.load(null, password);
        store.setCertificateEntry(alias, certificate);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password);
        }
    }

    /** The alias of the key entry; for a notification key, the Graph {@code encryptionCertificateId}. */
    public String alias() {
        return alias;
    }

    public Path keystore() {
        return keystore;
    }

    public Path truststore() {
        return truststore;
    }

    /** The password of both stores and of the key; a copy, so that callers may wipe it. */
    public char[] password() {
        return password.clone();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate in DER form, base64-encoded, as Graph's {@code encryptionCertificate} field wants it. */
    public String base64Certificate() {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encode certificate " + alias, e);
        }
    }

    /** The private key, read from the keystore; for tests and emulators that must decrypt what was sent. */
    public PrivateKey privateKey() {
        try {
            return (PrivateKey) load(keystore, password).getKey(alias, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not read private key " + alias, e);
        }
    }

    /** A TLS context presenting this certificate, for servers. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load(keystore, password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not build server TLS context for " + alias, e);
        }
    }

    /** A TLS context that trusts this certificate and nothing else, for clients. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(load(truststore, password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not build client TLS context for " + alias, e);
        }
    }

    @Override
    public String toString() {
        // Deliberately leaves the password out.
        return "SelfSignedCertificate[alias=" + alias + ", keystore=" + keystore + "]";
    }
}
