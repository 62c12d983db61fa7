package com.teamsemergency.connector.subscription;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/** The public certificate Graph encrypts resource data to, read from a PEM file or PEM text and checked as Graph
 * would check it (X.509, RSA 2048-4096). */
public final class NotificationCertificate {

    private final X509Certificate certificate;

    private NotificationCertificate(X509Certificate certificate) {
        this.certificate = certificate;
    }

    /**
     * @param pathOrPem a file path, or the PEM text itself
     * @throws IllegalArgumentException with a message fit for a configuration error
     */
    public static NotificationCertificate load(String pathOrPem) {
        if (pathOrPem == null || pathOrPem.isBlank()) {
            throw new IllegalArgumentException("no certificate configured");
        }
        byte[] bytes;
        if (pathOrPem.contains("-----BEGIN")) {
            bytes = pathOrPem.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                bytes = Files.readAllBytes(Path.of(pathOrPem.trim()));
            } catch (IOException | InvalidPathException e) {
                throw new IllegalArgumentException("cannot read certificate file " + pathOrPem + ": " + e.getMessage());
            }
        }
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
            if (!(cert.getPublicKey() instanceof RSAPublicKey rsa)) {
                throw new IllegalArgumentException("the certificate's key is not RSA; Graph needs RSA 2048-4096");
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048 || bits > 4096) {
                throw new IllegalArgumentException("the certificate's RSA key has " + bits + " bits; Graph needs "
                        + "2048-4096");
            }
            return new NotificationCertificate(cert);
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not an X.509 certificate in PEM or DER form: " + e.getMessage());
        }
    }

    /** The certificate as Graph wants it in {@code encryptionCertificate}: base64 of the DER encoding. */
    public String base64Der() {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be re-encoded", e);
        }
    }
}
