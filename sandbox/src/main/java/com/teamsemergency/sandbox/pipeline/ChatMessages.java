package com.teamsemergency.sandbox.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.common.json.Json;

/**
 * Chat messages shaped like Graph's {@code chatMessage}, with the wording Teams is assumed to use for the
 * emergency-call message (see "The emergency message" in docs/ARCHITECTURE.md).
 */
public final class ChatMessages {

    private ChatMessages() {
    }

    public static byte[] emergencyCall(String chatId, String messageId, String callerId, String callerName,
                                       String dialedNumber, String location, String callbackNumber) {
        String html = "<p><strong>" + escape(callerName) + "</strong> has placed an Emergency Call to "
                + escape(dialedNumber) + ".</p><p>Location: " + escape(location) + "</p>"
                + (callbackNumber == null ? "" : "<p>Callback number: " + escape(callbackNumber) + "</p>");
        return message(chatId, messageId, callerId, callerName, "urgent", html);
    }

    public static byte[] ordinary(String chatId, String messageId, String senderId, String senderName, String text) {
        return message(chatId, messageId, senderId, senderName, "normal", "<p>" + escape(text) + "</p>");
    }

    private static byte[] message(String chatId, String messageId, String senderId, String senderName,
                                  String importance, String html) {
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("@odata.type", "#Microsoft.Graph.chatMessage");
        message.put("id", messageId);
        message.put("messageType", "message");
        message.put("createdDateTime", Instant.now().toString());
        message.put("chatId", chatId);
        message.put("importance", importance);
        ObjectNode user = message.putObject("from").putObject("user");
        user.put("@odata.type", "#Microsoft.Graph.teamworkUserIdentity");
        user.put("id", senderId);
        user.put("displayName", senderName);
        user.put("userIdentityType", "aadUser");
        ObjectNode body = message.putObject("body");
        body.put("contentType", "html");
        body.put("content", html);
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
