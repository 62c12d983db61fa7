package com.teamsemergency.sandbox.graph.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;

/**
 * Checks the encoder against Graph's documented decryption steps, written out here with plain JCA, and those steps
 * against a fixture made by an encoder independent of this project.
 */
class NotificationEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CERTIFICATE_ID = "teams-emergency-2026";
    private static final String CLIENT_STATE = "test-client-state";
    private static final String TENANT_ID = "5f1d7c2a-0b4e-4c1f-9a1e-3d2b6c7e8f90";
    private static final String SUBSCRIPTION_ID = "0c7e9d4b-2f61-4b8a-9e35-7a1c2d3e4f50";
    private static final Instant EXPIRY = Instant.parse("2026-12-07T15:00:00Z");

    @TempDir
    static Path keys;

    private static SelfSignedCertificate notificationKey;
    private static NotificationEncoder encoder;
    private static byte[] message;

    @BeforeAll
    static void createKey() throws IOException {
        notificationKey =
                SelfSignedCertificate.createNotificationKey(keys, CERTIFICATE_ID, "test-password".toCharArray());
        encoder = new NotificationEncoder(notificationKey.certificate(), CERTIFICATE_ID, CLIENT_STATE, TENANT_ID);
        message = resource("emergency-call.json");
    }

    @Test
    void encryptsChatMessageSoThatGraphsDecryptionStepsRecoverIt() throws Exception {
        JsonNode notification = JSON.readTree(encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(message)))
                .path("value").get(0);

        byte[] decrypted = decrypt(notification.path("encryptedContent"), notificationKey.privateKey());

        assertArrayEquals(message, decrypted);
    }

    @Test
    void describesTheMessageAsGraphDoes() throws Exception {
        JsonNode notification = JSON.readTree(encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(message)))
                .path("value").get(0);
        String resource = "chats('19:8a2f0c1d5e6b4a7c9d0e1f2a3b4c5d6e@thread.v2')/messages('1796396531000')";

        assertEquals(SUBSCRIPTION_ID, notification.path("subscriptionId").asText());
        assertEquals("created", notification.path("changeType").asText());
        assertEquals(CLIENT_STATE, notification.path("clientState").asText());
        assertEquals("2026-12-07T15:00:00.0000000+00:00", notification.path("subscriptionExpirationDateTime").asText());
        assertEquals(resource, notification.path("resource").asText());
        assertEquals(TENANT_ID, notification.path("tenantId").asText());
        assertEquals("1796396531000", notification.path("resourceData").path("id").asText());
        assertEquals("#Microsoft.Graph.chatMessage", notification.path("resourceData").path("@odata.type").asText());
        assertEquals(resource, notification.path("resourceData").path("@odata.id").asText());
        JsonNode content = notification.path("encryptedContent");
        assertEquals(CERTIFICATE_ID, content.path("encryptionCertificateId").asText());
        String expectedThumbprint = HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-1").digest(notificationKey.certificate().getEncoded()));
        assertEquals(expectedThumbprint, content.path("encryptionCertificateThumbprint").asText());
    }

    @Test
    void producesTheSameFieldsInTheSameOrderAsGraphsFixture() throws Exception {
        JsonNode fixture = JSON.readTree(resource("eventhub-emergency-call.json"));
        JsonNode ours = JSON.readTree(encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(message)));

        assertEquals(fieldPaths(fixture, ""), fieldPaths(ours, ""));
    }

    @Test
    void decryptionStepsOfThisTestOpenTheIndependentFixture() throws Exception {
        JsonNode content = JSON.readTree(resource("eventhub-emergency-call.json"))
                .path("value").get(0).path("encryptedContent");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = NotificationEncoderTest.class.getResourceAsStream("/graph/notifications.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(CERTIFICATE_ID, "changeit".toCharArray());

        byte[] decrypted = decrypt(content, key);

        assertEquals(JSON.readTree(message), JSON.readTree(decrypted));
    }

    @Test
    void encryptsEachMessageOfABatchUnderItsOwnKey() throws Exception {
        byte[] other = new String(message, StandardCharsets.UTF_8)
                .replace("\"id\": \"1796396531000\"", "\"id\": \"1796396532000\"").getBytes(StandardCharsets.UTF_8);
        JsonNode value = JSON.readTree(encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(message, other)))
                .path("value");

        assertEquals(2, value.size());
        assertEquals("1796396532000", value.get(1).path("resourceData").path("id").asText());
        assertNotEquals(value.get(0).path("encryptedContent").path("dataKey").asText(),
                value.get(1).path("encryptedContent").path("dataKey").asText());
        assertArrayEquals(other, decrypt(value.get(1).path("encryptedContent"), notificationKey.privateKey()));
    }

    @Test
    void signatureCoversTheCiphertext() throws Exception {
        JsonNode content = JSON.readTree(encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(message)))
                .path("value").get(0).path("encryptedContent");
        byte[] key = unwrapKey(content, notificationKey.privateKey());
        byte[] data = Base64.getDecoder().decode(content.path("data").asText());
        data[data.length / 2] ^= 1;

        assertFalse(MessageDigest.isEqual(hmac(key, data),
                Base64.getDecoder().decode(content.path("dataSignature").asText())));
    }

    @Test
    void rejectsMessageWithoutChatId() {
        byte[] noChat = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class,
                () -> encoder.collection(SUBSCRIPTION_ID, EXPIRY, List.of(noChat)));
    }

    @Test
    void writesValidationEventLikeGraph() throws Exception {
        JsonNode fixture = JSON.readTree(resource("validation-event.json"));
        JsonNode ours = JSON.readTree(encoder.validationEvent());

        assertEquals(fieldPaths(fixture, ""), fieldPaths(ours, ""));
        JsonNode notification = ours.path("value").get(0);
        assertTrue(notification.path("changeType").asText().startsWith(
                "Validation: Testing client application reachability for subscription Request-Id: "));
        for (String field : List.of("subscriptionId", "subscriptionExpirationDateTime", "clientState", "resource")) {
            assertEquals("NA", notification.path(field).asText(), field);
        }
    }

    @Test
    void writesLifecycleEventLikeGraph() throws Exception {
        JsonNode fixture = JSON.readTree(resource("lifecycle-reauthorizationRequired.json"));
        JsonNode ours = JSON.readTree(encoder.lifecycleEvent(SUBSCRIPTION_ID, EXPIRY, "reauthorizationRequired"));

        assertEquals(fieldPaths(fixture, ""), fieldPaths(ours, ""));
        JsonNode notification = ours.path("value").get(0);
        assertEquals("reauthorizationRequired", notification.path("lifecycleEvent").asText());
        assertEquals(fixture.path("value").get(0).path("subscriptionExpirationDateTime"),
                notification.path("subscriptionExpirationDateTime"));
    }

    /** Graph's documented steps: unwrap the key, check the signature over the ciphertext, then decrypt. */
    private static byte[] decrypt(JsonNode content, PrivateKey privateKey) throws GeneralSecurityException {
        byte[] key = unwrapKey(content, privateKey);
        byte[] data = Base64.getDecoder().decode(content.path("data").asText());
        byte[] signature = Base64.getDecoder().decode(content.path("dataSignature").asText());
        if (!MessageDigest.isEqual(hmac(key, data), signature)) {
            throw new GeneralSecurityException("dataSignature does not match");
        }
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        return aes.doFinal(data);
    }

    private static byte[] unwrapKey(JsonNode content, PrivateKey privateKey) throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, privateKey);
        return rsa.doFinal(Base64.getDecoder().decode(content.path("dataKey").asText()));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                paths.addAll(fieldPaths(element, prefix + "[]"));
            }
        } else if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                paths.add(prefix + "." + name);
                paths.addAll(fieldPaths(node.get(name), prefix + "." + name));
            }
        }
        return paths;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NotificationEncoderTest.class.getResourceAsStream("/graph/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /graph/" + name);
            }
            return in.readAllBytes();
        }
    }
}
