package com.teamsemergency.common.notification;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Reads Graph's change-notification collections from Event Hub record values and writes single notifications
 * with Graph's field names.
 */
public final class ChangeNotificationCodec {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ChangeNotificationCodec() {
    }

    /**
     * Parses a {@code changeNotificationCollection} ({@code {"value": [...]}}).
     *
     * @throws MalformedNotificationException with {@link DeadLetterReason#EMPTY_RECORD}, {@code NOT_JSON},
     *                                        {@code NOT_A_COLLECTION} or {@code MALFORMED_NOTIFICATION}
     */
    public static List<ChangeNotification> parseCollection(byte[] recordValue) throws MalformedNotificationException {
        List<CollectionItem> items = parseItems(recordValue);
        List<ChangeNotification> notifications = new ArrayList<>(items.size());
        for (CollectionItem item : items) {
            if (item.problem() != null) {
                throw item.problem();
            }
            notifications.add(item.notification());
        }
        return Collections.unmodifiableList(notifications);
    }

    /**
     * One item of a collection: its notification, or why it could not be read, and the item's own JSON with any
     * client state masked, which is what a dead letter for this item alone should hold.
     */
    public record CollectionItem(ChangeNotification notification, MalformedNotificationException problem,
                                 byte[] redactedJson) {
    }

    /**
     * Parses a collection item by item, so that one malformed item among good ones costs only itself: Graph
     * batches several notifications into one event, and an emergency call must not be lost to its neighbour.
     *
     * @throws MalformedNotificationException when the record as a whole is not a collection
     */
    public static List<CollectionItem> parseItems(byte[] recordValue) throws MalformedNotificationException {
        JsonNode root = readTree(recordValue);
        if (!root.isObject()) {
            throw new MalformedNotificationException(DeadLetterReason.NOT_A_COLLECTION,
                    "the record is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
        }
        JsonNode value = root.get("value");
        if (value == null || !value.isArray()) {
            throw new MalformedNotificationException(DeadLetterReason.NOT_A_COLLECTION,
                    value == null ? "the record has no \"value\" array" : "\"value\" is not an array");
        }
        List<CollectionItem> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            try {
                items.add(new CollectionItem(toNotification(item, "value[" + i + "]"), null, null));
            } catch (MalformedNotificationException e) {
                items.add(new CollectionItem(null, e, redactedJson(item)));
            }
        }
        return Collections.unmodifiableList(items);
    }

    /** The item as JSON with its {@code clientState} masked: a secret is not to be copied into other topics. */
    public static byte[] redactedJson(JsonNode item) {
        JsonNode copy = item == null ? Json.mapper().nullNode() : item.deepCopy();
        if (copy.isObject() && copy.has("clientState")) {
            ((ObjectNode) copy).put("clientState", "[redacted]");
        }
        try {
            return Json.mapper().writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a notification item as JSON", e);
        }
    }

    /** {@link #toJson(ChangeNotification)} but with the client state present and masked, for dead letters. */
    public static byte[] redactedJson(ChangeNotification notification) {
        try {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(toJson(notification));
            node.put("clientState", notification.clientState() == null ? null : "[redacted]");
            return Json.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a change notification as JSON", e);
        }
    }

    /**
     * Like {@link #parseCollection(byte[])}, but first rejects a record over {@code maxBytes} with
     * {@link DeadLetterReason#RECORD_TOO_LARGE}, before any parsing work is spent on it.
     */
    public static List<ChangeNotification> parseCollection(byte[] recordValue, int maxBytes)
            throws MalformedNotificationException {
        if (recordValue != null && recordValue.length > maxBytes) {
            throw new MalformedNotificationException(DeadLetterReason.RECORD_TOO_LARGE,
                    "the record has " + recordValue.length + " bytes, over the limit of " + maxBytes);
        }
        return parseCollection(recordValue);
    }

    /** Parses one notification as {@link #toJson(ChangeNotification)} writes it (e.g. from the control topic). */
    public static ChangeNotification parseNotification(byte[] json) throws MalformedNotificationException {
        return toNotification(readTree(json), "the record");
    }

    /**
     * Writes one notification with Graph's field names ({@code @odata.type}, ...), nulls included.
     * The {@code clientState} is left out: it is a secret, it has been checked before anything is forwarded, and
     * a control topic must not store it in clear.
     */
    public static byte[] toJson(ChangeNotification n) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("subscriptionId", n.subscriptionId());
        node.put("changeType", n.changeType());
        node.put("resource", n.resource());
        if (n.resourceData() == null) {
            node.putNull("resourceData");
        } else {
            ObjectNode data = node.putObject("resourceData");
            data.put("id", n.resourceData().id());
            data.put("@odata.type", n.resourceData().odataType());
            data.put("@odata.id", n.resourceData().odataId());
        }
        node.put("subscriptionExpirationDateTime", n.subscriptionExpirationDateTime());
        node.put("tenantId", n.tenantId());
        node.put("lifecycleEvent", n.lifecycleEvent());
        if (n.encryptedContent() == null) {
            node.putNull("encryptedContent");
        } else {
            EncryptedContent content = n.encryptedContent();
            ObjectNode encrypted = node.putObject("encryptedContent");
            encrypted.put("data", content.data());
            encrypted.put("dataKey", content.dataKey());
            encrypted.put("dataSignature", content.dataSignature());
            encrypted.put("encryptionCertificateId", content.encryptionCertificateId());
            encrypted.put("encryptionCertificateThumbprint", content.encryptionCertificateThumbprint());
        }
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a change notification as JSON", e);
        }
    }

    private static JsonNode readTree(byte[] recordValue) throws MalformedNotificationException {
        if (isBlank(recordValue)) {
            throw new MalformedNotificationException(DeadLetterReason.EMPTY_RECORD, "the record value is empty");
        }
        try {
            JsonNode root = READER.readTree(recordValue);
            if (root == null || root.isMissingNode()) {
                throw new MalformedNotificationException(DeadLetterReason.EMPTY_RECORD, "the record holds no JSON");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the offending token, which could be part of a secret: report only
            // where parsing stopped.
            throw new MalformedNotificationException(DeadLetterReason.NOT_JSON,
                    "the record is not JSON (" + e.getClass().getSimpleName() + " at " + where(e.getLocation())
                            + ")");
        } catch (IOException e) {
            throw new MalformedNotificationException(DeadLetterReason.NOT_JSON, "the record is not readable JSON");
        } catch (StackOverflowError e) {
            // Jackson limits nesting depth, but a future default or a reconfigured mapper must not kill the thread.
            throw new MalformedNotificationException(DeadLetterReason.NOT_JSON, "the record is nested too deeply");
        }
    }

    private static String where(JsonLocation location) {
        if (location == null) {
            return "an unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static boolean isBlank(byte[] value) {
        if (value == null) {
            return true;
        }
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static ChangeNotification toNotification(JsonNode item, String where)
            throws MalformedNotificationException {
        if (item == null || !item.isObject()) {
            throw malformed(where + " is not an object");
        }
        return new ChangeNotification(
                text(item, "subscriptionId", where),
                text(item, "changeType", where),
                text(item, "clientState", where),
                text(item, "resource", where),
                resourceData(item.get("resourceData"), where),
                text(item, "subscriptionExpirationDateTime", where),
                text(item, "tenantId", where),
                text(item, "lifecycleEvent", where),
                encryptedContent(item.get("encryptedContent"), where));
    }

    private static ResourceData resourceData(JsonNode node, String where) throws MalformedNotificationException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw malformed(where + ".resourceData is not an object");
        }
        String inner = where + ".resourceData";
        return new ResourceData(text(node, "id", inner), text(node, "@odata.type", inner),
                text(node, "@odata.id", inner));
    }

    private static EncryptedContent encryptedContent(JsonNode node, String where)
            throws MalformedNotificationException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw malformed(where + ".encryptedContent is not an object");
        }
        String inner = where + ".encryptedContent";
        return new EncryptedContent(text(node, "data", inner), text(node, "dataKey", inner),
                text(node, "dataSignature", inner), text(node, "encryptionCertificateId", inner),
                text(node, "encryptionCertificateThumbprint", inner));
    }

    private static String text(JsonNode parent, String field, String where) throws MalformedNotificationException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw malformed(where + "." + field + " is not a string");
        }
        return node.asText();
    }

    private static MalformedNotificationException malformed(String message) {
        return new MalformedNotificationException(DeadLetterReason.MALFORMED_NOTIFICATION, message);
    }
}
