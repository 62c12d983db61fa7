package com.teamsemergency.sandbox.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that the generated certificates serve TLS with host name verification on, and encrypt notifications. */
class SelfSignedCertificateTest {

    @TempDir
    static Path dir;

    private static SelfSignedCertificate server;
    private static ExecutorService executor;

    @BeforeAll
    static void createCertificate() {
        server = SelfSignedCertificate.create(dir.resolve("tls"), "sandbox-test", "secret-password".toCharArray());
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void namesLocalhostAndLoopbackAddress() throws Exception {
        assertEquals("CN=localhost", server.certificate().getSubjectX500Principal().getName());
        List<String> names = server.certificate().getSubjectAlternativeNames().stream()
                .map(entry -> String.valueOf(entry.get(1))).toList();
        assertTrue(names.contains("localhost"), () -> "SAN: " + names);
        assertTrue(names.contains("127.0.0.1"), () -> "SAN: " + names);
    }

    @Test
    void truststoreHoldsOnlyTheCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.truststore())) {
            trust.load(in, server.password());
        }
        List<String> aliases = Collections.list(trust.aliases());
        assertEquals(1, aliases.size());
        assertTrue(trust.isCertificateEntry(aliases.get(0)));
        assertEquals(server.certificate(), trust.getCertificate(aliases.get(0)));
    }

    @Test
    void clientContextCompletesHandshakeWithHostNameVerificationForBothNames() throws Exception {
        assertEquals(42, roundTrip(server.clientContext(), "localhost"));
        assertEquals(42, roundTrip(server.clientContext(), "127.0.0.1"));
    }

    @Test
    void defaultTrustRejectsTheSelfSignedCertificate() {
        assertThrows(SSLHandshakeException.class, () -> roundTrip(SSLContext.getDefault(), "localhost"));
    }

    @Test
    void notificationKeyIsRsa2048UnderTheCertificateId() {
        SelfSignedCertificate key = SelfSignedCertificate.createNotificationKey(dir.resolve("graph"),
                "teams-emergency-2026", "secret-password".toCharArray());
        assertEquals("teams-emergency-2026", key.alias());
        assertEquals(2048, ((RSAPublicKey) key.certificate().getPublicKey()).getModulus().bitLength());
        assertArrayEquals(assertDoesNotThrowEncoded(key), Base64.getDecoder().decode(key.base64Certificate()));
        assertEquals("RSA", key.privateKey().getAlgorithm());
    }

    @Test
    void refusesShortPassword() {
        assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.create(dir.resolve("short"), "x", "12345".toCharArray()));
    }

    private static byte[] assertDoesNotThrowEncoded(SelfSignedCertificate key) {
        try {
            return key.certificate().getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Serves one byte over TLS on loopback and reads it back with https host name verification on. */
    private static int roundTrip(SSLContext clientContext, String host) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Future<?> served = executor.submit(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept();
                     OutputStream out = accepted.getOutputStream()) {
                    out.write(42);
                    out.flush();
                } catch (IOException e) {
                    // The client gave up on the handshake; the client side reports why.
                }
                return null;
            });
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(host,
                    listener.getLocalPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(10_000);
                int read = socket.getInputStream().read();
                served.get();
                return read;
            }
        }
    }
}
