package com.teamsemergency.sandbox.graph.encoding;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Does to a chat message what Microsoft Graph does before writing it to an Event Hub: encrypts it to the
 * subscription's certificate and wraps it in a {@code changeNotificationCollection}.
 */
public final class NotificationEncoder {

    /** Graph writes date-times with seven fractional digits and an explicit offset. */
    private static final DateTimeFormatter GRAPH_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);
    private static final String KEY_WRAP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final String CONTENT_CIPHER = "AES/CBC/PKCS5Padding";
    private static final String SIGNATURE = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final String NOT_APPLICABLE = "NA";

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final X509Certificate certificate;
    private final String certificateId;
    private final String clientState;
    private final String tenantId;
    private final String thumbprint;

    public NotificationEncoder(X509Certificate certificate, String certificateId, String clientState,
                               String tenantId) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.certificateId = Objects.requireNonNull(certificateId, "certificateId");
        this.clientState = clientState;
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.thumbprint = thumbprintOf(certificate);
    }

    /**
     * One Event Hub record: a collection with a "created" notification for each chat message, whose chat and
     * message ids are read from the message itself.
     */
    public byte[] collection(String subscriptionId, Instant subscriptionExpiry, List<byte[]> chatMessageJsons) {
        ArrayNode value = json.createArrayNode();
        for (byte[] message : chatMessageJsons) {
            value.add(changeNotification(subscriptionId, subscriptionExpiry, message));
        }
        return write(json.createObjectNode().set("value", value));
    }

    /** One encrypted "created" notification for a chat message, to combine with others in {@link #collectionOf}. */
    public ObjectNode changeNotification(String subscriptionId, Instant subscriptionExpiry, byte[] chatMessageJson) {
        JsonNode message = read(chatMessageJson);
        String chatId = requiredText(message, "chatId");
        String messageId = requiredText(message, "id");
        String resource = "chats('" + chatId + "')/messages('" + messageId + "')";

        ObjectNode notification = json.createObjectNode();
        notification.put("subscriptionId", subscriptionId);
        notification.put("changeType", "created");
        notification.put("clientState", clientState);
        notification.put("subscriptionExpirationDateTime", graphDateTime(subscriptionExpiry));
        notification.put("resource", resource);
        notification.put("tenantId", tenantId);
        ObjectNode resourceData = notification.putObject("resourceData");
        resourceData.put("id", messageId);
        resourceData.put("@odata.type", "#Microsoft.Graph.chatMessage");
        resourceData.put("@odata.id", resource);
        notification.set("encryptedContent", encryptedContent(chatMessageJson));
        return notification;
    }

    /** Wraps notifications, lifecycle events or anything else in a {@code changeNotificationCollection}. */
    public byte[] collectionOf(List<? extends JsonNode> notifications) {
        ArrayNode value = json.createArrayNode();
        value.addAll(notifications);
        return write(json.createObjectNode().set("value", value));
    }

    /**
     * Encrypts resource data as Graph does: a fresh AES-256 key, wrapped with RSA-OAEP (SHA-1) to the certificate;
     * the data in AES-CBC with the key's first 16 bytes as IV; an HMAC-SHA256 of the ciphertext under the same key.
     */
    public ObjectNode encryptedContent(byte[] plaintext) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        try {
            Cipher wrap = Cipher.getInstance(KEY_WRAP);
            wrap.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey());
            byte[] dataKey = wrap.doFinal(key);

            Cipher aes = Cipher.getInstance(CONTENT_CIPHER);
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(Arrays.copyOf(key, IV_BYTES)));
            byte[] data = aes.doFinal(plaintext);

            Mac mac = Mac.getInstance(SIGNATURE);
            mac.init(new SecretKeySpec(key, SIGNATURE));
            byte[] signature = mac.doFinal(data);

            Base64.Encoder base64 = Base64.getEncoder();
            ObjectNode content = json.createObjectNode();
            content.put("data", base64.encodeToString(data));
            content.put("dataSignature", base64.encodeToString(signature));
            content.put("dataKey", base64.encodeToString(dataKey));
            content.put("encryptionCertificateId", certificateId);
            content.put("encryptionCertificateThumbprint", thumbprint);
            return content;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt resource data", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The record Graph writes to the hub when a subscription is created, to show that it can reach it. */
    public byte[] validationEvent() {
        ObjectNode notification = json.createObjectNode();
        notification.put("subscriptionId", NOT_APPLICABLE);
        notification.put("subscriptionExpirationDateTime", NOT_APPLICABLE);
        notification.put("clientState", NOT_APPLICABLE);
        notification.put("changeType", "Validation: Testing client application reachability for subscription "
                + "Request-Id: " + UUID.randomUUID());
        notification.put("resource", NOT_APPLICABLE);
        ObjectNode resourceData = notification.putObject("resourceData");
        resourceData.put("@odata.type", NOT_APPLICABLE);
        resourceData.put("@odata.id", NOT_APPLICABLE);
        resourceData.put("id", NOT_APPLICABLE);
        return collectionOf(List.of(notification));
    }

    /** A lifecycle notification, such as {@code reauthorizationRequired} or {@code subscriptionRemoved}. */
    public byte[] lifecycleEvent(String subscriptionId, Instant subscriptionExpiry, String lifecycleEvent) {
        ObjectNode notification = json.createObjectNode();
        notification.put("subscriptionId", subscriptionId);
        notification.put("subscriptionExpirationDateTime", graphDateTime(subscriptionExpiry));
        notification.put("tenantId", tenantId);
        notification.put("clientState", clientState);
        notification.put("lifecycleEvent", lifecycleEvent);
        return collectionOf(List.of(notification));
    }

    /** The SHA-1 thumbprint of the certificate, upper-case hex, as Graph reports it. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A date-time as Graph writes it, such as {@code 2026-12-07T15:00:00.0000000+00:00}. */
    public static String graphDateTime(Instant instant) {
        return GRAPH_DATE_TIME.format(instant);
    }

    private static String thumbprintOf(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("Certificate cannot be encoded", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    private static String requiredText(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("chat message has no \"" + field + "\"");
        }
        return value.asText();
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("chat message is not JSON", e);
        }
    }

    private byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write notification JSON", e);
        }
    }
}
