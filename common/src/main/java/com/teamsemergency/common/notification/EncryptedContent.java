package com.teamsemergency.common.notification;

/**
 * The {@code encryptedContent} part of a change notification with resource data, still encrypted.
 */
public record EncryptedContent(String data, String dataKey, String dataSignature, String encryptionCertificateId,
                               String encryptionCertificateThumbprint) {

    // The ciphertext is not secret, but it is bulky and useless in logs.
    @Override
    public String toString() {
        return "EncryptedContent[encryptionCertificateId=" + encryptionCertificateId
                + ", encryptionCertificateThumbprint=" + encryptionCertificateThumbprint
                + ", dataLength=" + (data == null ? 0 : data.length()) + "]";
    }
}
