package com.teamsemergency.common.crypto;

import com.microsoft.graph.core.models.DecryptableContent;
import com.teamsemergency.common.fixtures.Fixtures;
import com.teamsemergency.common.notification.EncryptedContent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Checks our decryption against the Graph SDK's own implementation of the same steps.
 */
class GraphSdkCrossCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"eventhub/emergency-call.json", "eventhub/emergency-test-call-933.json",
        "eventhub/ordinary-chat.json"})
    void decryptsToTheSameBytesAsTheGraphSdk(String fixture) throws Exception {
        NotificationKeyRing ring = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(),
                Fixtures.KEYSTORE_PASSWORD.toCharArray());
        EncryptedContent content = NotificationDecryptorTest.content(fixture);

        byte[] ours = new NotificationDecryptor(ring).decrypt(content);
        String theirs = DecryptableContent.decryptAsString(new SdkContent(content),
                (id, thumbprint) -> ring.privateKey(id).map(PrivateKey.class::cast).orElseThrow());

        assertArrayEquals(theirs.getBytes(StandardCharsets.UTF_8), ours);
    }

    /** The SDK reads encrypted content through this bean-style interface. */
    private static final class SdkContent implements DecryptableContent {
        private String data;
        private String dataKey;
        private String dataSignature;
        private String certificateId;
        private String thumbprint;

        SdkContent(EncryptedContent content) {
            data = content.data();
            dataKey = content.dataKey();
            dataSignature = content.dataSignature();
            certificateId = content.encryptionCertificateId();
            thumbprint = content.encryptionCertificateThumbprint();
        }

        @Override
        public void setData(String value) {
            data = value;
        }

        @Override
        public String getData() {
            return data;
        }

        @Override
        public void setDataKey(String value) {
            dataKey = value;
        }

        @Override
        public String getDataKey() {
            return dataKey;
        }

        @Override
        public void setDataSignature(String value) {
            dataSignature = value;
        }

        @Override
        public String getDataSignature() {
            return dataSignature;
        }

        @Override
        public void setEncryptionCertificateId(String value) {
            certificateId = value;
        }

        @Override
        public String getEncryptionCertificateId() {
            return certificateId;
        }

        @Override
        public void setEncryptionCertificateThumbprint(String value) {
            thumbprint = value;
        }

        @Override
        public String getEncryptionCertificateThumbprint() {
            return thumbprint;
        }
    }
}
