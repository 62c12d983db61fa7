package com.teamsemergency.common.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.fixtures.Fixtures;
import com.teamsemergency.common.json.Json;
import com.teamsemergency.common.notification.ChangeNotification;
import com.teamsemergency.common.notification.ChangeNotificationCodec;
import com.teamsemergency.common.notification.EncryptedContent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationDecryptorTest {

    private static final char[] PASSWORD = Fixtures.KEYSTORE_PASSWORD.toCharArray();
    private static final String OTHER_THUMBPRINT = "254C538CC69F04AA39B072E94DE7C9346224A90B";
    private static final Map<String, String> MESSAGE_BY_ID = Map.of(
            "1796396531000", "messages/emergency-call.json",
            "1796396900000", "messages/emergency-test-call-933.json",
            "1796396000000", "messages/ordinary-chat.json");

    private static NotificationKeyRing ours;
    private static NotificationDecryptor decryptor;

    @BeforeAll
    static void loadKeys() {
        ours = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(), PASSWORD);
        decryptor = new NotificationDecryptor(ours);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventhub/emergency-call.json", "eventhub/emergency-test-call-933.json",
        "eventhub/ordinary-chat.json", "eventhub/mixed-batch.json", "eventhub/wrong-client-state.json"})
    void decryptsEachFixtureToItsChatMessage(String fixture) throws Exception {
        List<ChangeNotification> notifications = ChangeNotificationCodec.parseCollection(Fixtures.read(fixture));
        assertFalse(notifications.isEmpty());
        for (ChangeNotification notification : notifications) {
            byte[] plaintext = decryptor.decrypt(notification.encryptedContent());

            String expectedFile = MESSAGE_BY_ID.get(notification.messageId().orElseThrow());
            JsonNode expected = Json.mapper().readTree(Fixtures.read(expectedFile));
            assertEquals(expected, Json.mapper().readTree(plaintext), fixture + " -> " + expectedFile);
        }
    }

    @Test
    void rejectsTamperedSignature() throws Exception {
        DecryptionException e = assertThrows(DecryptionException.class,
                () -> decryptor.decrypt(content("eventhub/tampered-signature.json")));
        assertEquals(DeadLetterReason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void rejectsAlteredCiphertextBeforeDecryptingIt() throws Exception {
        EncryptedContent genuine = content("eventhub/emergency-call.json");
        byte[] data = Base64.getDecoder().decode(genuine.data());
        // Flipping a bit of the last block would also break the padding: the signature check must come first.
        data[data.length - 1] ^= 1;
        EncryptedContent altered = new EncryptedContent(Base64.getEncoder().encodeToString(data), genuine.dataKey(),
                genuine.dataSignature(), genuine.encryptionCertificateId(), genuine.encryptionCertificateThumbprint());

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(altered));
        assertEquals(DeadLetterReason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void rejectsCertificateIdThatIsNotInTheKeystore() throws Exception {
        EncryptedContent content = content("eventhub/unknown-certificate.json");
        assertEquals("not-our-certificate", content.encryptionCertificateId());

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(content));
        assertEquals(DeadLetterReason.UNKNOWN_CERTIFICATE, e.reason());
        assertTrue(e.getMessage().contains("not-our-certificate"), e.getMessage());
    }

    @Test
    void rejectsContentForAnotherCertificateUnderOurCertificateId() throws Exception {
        // The unknown-certificate fixture is encrypted for keys/other.*; here it claims our id but keeps the
        // thumbprint of the certificate it was really encrypted for.
        EncryptedContent foreign = content("eventhub/unknown-certificate.json");
        EncryptedContent claimingOurs = new EncryptedContent(foreign.data(), foreign.dataKey(),
                foreign.dataSignature(), Fixtures.CERTIFICATE_ID, foreign.encryptionCertificateThumbprint());

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(claimingOurs));
        assertEquals(DeadLetterReason.UNKNOWN_CERTIFICATE, e.reason());
        assertTrue(e.getMessage().contains(OTHER_THUMBPRINT), e.getMessage());
    }

    @Test
    void cannotUnwrapContentForAnotherKeyWhenNoThumbprintTellsItApart() throws Exception {
        EncryptedContent foreign = content("eventhub/unknown-certificate.json");
        EncryptedContent claimingOurs = new EncryptedContent(foreign.data(), foreign.dataKey(),
                foreign.dataSignature(), Fixtures.CERTIFICATE_ID, null);

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(claimingOurs));
        assertEquals(DeadLetterReason.UNDECRYPTABLE, e.reason());
    }

    @Test
    void decryptsForEveryKeyOfARotatingKeystore() throws Exception {
        NotificationKeyRing both = NotificationKeyRing.fromPkcs12(new ByteArrayInputStream(twoKeyPkcs12()), PASSWORD);
        assertEquals(java.util.Set.of(Fixtures.CERTIFICATE_ID, "not-our-certificate"), both.certificateIds());
        NotificationDecryptor rotating = new NotificationDecryptor(both);

        byte[] current = rotating.decrypt(content("eventhub/emergency-call.json"));
        byte[] next = rotating.decrypt(content("eventhub/unknown-certificate.json"));

        JsonNode expected = Json.mapper().readTree(Fixtures.read("messages/emergency-call.json"));
        assertEquals(expected, Json.mapper().readTree(current));
        assertEquals(expected, Json.mapper().readTree(next));
    }

    @Test
    void findsKeyByThumbprintWhenTheAliasDiffersFromTheCertificateId() throws Exception {
        NotificationKeyRing other = NotificationKeyRing.fromPkcs12(Fixtures.otherKeystorePath(), PASSWORD);
        assertEquals(java.util.Set.of("other"), other.certificateIds());

        byte[] plaintext = new NotificationDecryptor(other).decrypt(content("eventhub/unknown-certificate.json"));

        assertEquals(Json.mapper().readTree(Fixtures.read("messages/emergency-call.json")),
                Json.mapper().readTree(plaintext));
    }

    @Test
    void reportsBadBase64AsUndecryptable() throws Exception {
        EncryptedContent genuine = content("eventhub/emergency-call.json");
        EncryptedContent broken = new EncryptedContent("not base64 !!", genuine.dataKey(), genuine.dataSignature(),
                genuine.encryptionCertificateId(), genuine.encryptionCertificateThumbprint());

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(broken));
        assertEquals(DeadLetterReason.UNDECRYPTABLE, e.reason());
    }

    @Test
    void reportsMissingFieldsAsUndecryptable() {
        EncryptedContent empty = new EncryptedContent(null, null, null, Fixtures.CERTIFICATE_ID, null);

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(empty));
        assertEquals(DeadLetterReason.UNDECRYPTABLE, e.reason());
        assertEquals(DeadLetterReason.UNDECRYPTABLE,
                assertThrows(DecryptionException.class, () -> decryptor.decrypt(null)).reason());
    }

    @Test
    void rejectsSymmetricKeyOfTheWrongLength() throws Exception {
        EncryptedContent genuine = content("eventhub/emergency-call.json");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Fixtures.open(Fixtures.KEYSTORE)) {
            store.load(in, PASSWORD);
        }
        PublicKey publicKey = store.getCertificate(Fixtures.CERTIFICATE_ID).getPublicKey();
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, publicKey);
        String shortKey = Base64.getEncoder().encodeToString(rsa.doFinal(new byte[16]));
        EncryptedContent weak = new EncryptedContent(genuine.data(), shortKey, genuine.dataSignature(),
                genuine.encryptionCertificateId(), genuine.encryptionCertificateThumbprint());

        DecryptionException e = assertThrows(DecryptionException.class, () -> decryptor.decrypt(weak));
        assertEquals(DeadLetterReason.UNDECRYPTABLE, e.reason());
    }

    @Test
    void decryptsConcurrentlyWithOneInstance() throws Exception {
        EncryptedContent content = content("eventhub/emergency-call.json");
        byte[] expected = decryptor.decrypt(content);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> decryptor.decrypt(content)));
            }
            for (Future<byte[]> result : results) {
                assertArrayEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static EncryptedContent content(String fixture) throws Exception {
        return ChangeNotificationCodec.parseCollection(Fixtures.read(fixture)).get(0).encryptedContent();
    }

    /** Our key under its id, and the other fixture key under the id the unknown-certificate fixture names. */
    private static byte[] twoKeyPkcs12() throws Exception {
        KeyStore combined = KeyStore.getInstance("PKCS12");
        combined.load(null, null);
        copyEntry(Fixtures.KEYSTORE, Fixtures.CERTIFICATE_ID, combined, Fixtures.CERTIFICATE_ID);
        copyEntry(Fixtures.OTHER_KEYSTORE, "other", combined, "not-our-certificate");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        combined.store(out, PASSWORD);
        return out.toByteArray();
    }

    private static void copyEntry(String fixture, String alias, KeyStore target, String targetAlias)
            throws Exception {
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (var in = Fixtures.open(fixture)) {
            source.load(in, PASSWORD);
        }
        KeyStore.PrivateKeyEntry entry = (KeyStore.PrivateKeyEntry) source.getEntry(alias,
                new KeyStore.PasswordProtection(PASSWORD));
        target.setKeyEntry(targetAlias, entry.getPrivateKey(), PASSWORD, new Certificate[] {entry.getCertificate()});
    }
}
