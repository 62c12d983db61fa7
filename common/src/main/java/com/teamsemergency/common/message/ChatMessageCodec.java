package com.teamsemergency.common.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.teamsemergency.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads Graph {@code chatMessage} JSON (as decrypted from a notification or fetched from Graph) into a
 * {@link ChatMessage}.
 */
public final class ChatMessageCodec {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ChatMessageCodec() {
    }

    /**
     * Parses a {@code chatMessage}; {@code id} is required, everything else may be absent. An unparsable
     * {@code createdDateTime} becomes null rather than losing a possible emergency.
     */
    public static ChatMessage parse(byte[] chatMessageJson) throws MalformedMessageException {
        if (chatMessageJson == null || chatMessageJson.length == 0) {
            throw new MalformedMessageException("the chat message is empty");
        }
        JsonNode root;
        try {
            root = READER.readTree(chatMessageJson);
        } catch (IOException e) {
            // Jackson's message could quote the body: say only where it failed.
            throw new MalformedMessageException("the chat message is not JSON ("
                    + e.getClass().getSimpleName() + (e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "")
                    + ")");
        } catch (StackOverflowError e) {
            throw new MalformedMessageException("the chat message is nested too deeply");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("the chat message is not a JSON object");
        }
        String id = text(root, "id");
        if (id == null || id.isBlank()) {
            throw new MalformedMessageException("the chat message has no id");
        }
        JsonNode body = root.get("body");
        if (body != null && !body.isNull() && !body.isObject()) {
            throw new MalformedMessageException("the chat message's body is not an object");
        }
        return new ChatMessage(id, text(root, "chatId"), text(root, "messageType"),
                instant(text(root, "createdDateTime")), text(root, "importance"), sender(root.get("from")),
                body == null ? null : text(body, "contentType"), body == null ? null : text(body, "content"),
                text(root, "replyToId"));
    }

    /** Writes a {@link ChatMessage} with the shared mapper (record field names, ISO dates). */
    public static byte[] toJson(ChatMessage message) {
        try {
            return Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a chat message as JSON", e);
        }
    }

    /** Reads what {@link #toJson(ChatMessage)} wrote. */
    public static ChatMessage fromJson(byte[] json) {
        try {
            return Json.mapper().readValue(json, ChatMessage.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a ChatMessage JSON document", e);
        }
    }

    // Graph puts the author under from.user, from.application (bots) or from.device.
    private static Sender sender(JsonNode from) throws MalformedMessageException {
        if (from == null || from.isNull()) {
            return null;
        }
        if (!from.isObject()) {
            throw new MalformedMessageException("the chat message's from is not an object");
        }
        for (String kind : new String[] {"user", "application", "device"}) {
            JsonNode identity = from.get(kind);
            if (identity != null && identity.isObject()) {
                return new Sender(text(identity, "id"), text(identity, "displayName"));
            }
        }
        return null;
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String text(JsonNode parent, String field) throws MalformedMessageException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new MalformedMessageException("the chat message's " + field + " is not a string");
        }
        return node.asText();
    }
}
