package com.teamsemergency.streams.topology;

import java.time.Instant;

import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.common.message.Recognition;

/**
 * Applies the emergency rules to a chat message and keeps what the incident tracker needs of it. Text fields are
 * capped: an emergency message is a few lines, and a record past the 1 MB limit could not be repartitioned.
 */
final class MessageRecognition {

    static final int MAX_TEXT_CHARS = 8_192;
    static final int MAX_FIELD_CHARS = 1_024;

    private final EmergencyRules rules;

    MessageRecognition(EmergencyRules rules) {
        this.rules = rules;
    }

    ChatEvent recognise(Routed.Message routed, long recordTimestamp) {
        ChatMessage message = routed.message();
        // System events (members added, calls started) and other non-messages are never the caller's message.
        boolean userMessage = message.messageType() == null || "message".equalsIgnoreCase(message.messageType());
        Recognition recognition = rules.recognise(message);
        // Graph always sets createdDateTime; the record's time stands in so that a message without one is not lost.
        Instant createdAt = message.createdDateTime() != null ? message.createdDateTime()
                : Instant.ofEpochMilli(recordTimestamp);
        String senderId = cap(message.from() == null ? null : message.from().userId(), MAX_FIELD_CHARS);
        String senderName = cap(message.from() == null ? null : message.from().displayName(), MAX_FIELD_CHARS);
        if (!recognition.emergency() || !userMessage) {
            return new ChatEvent(message.chatId(), message.id(), createdAt, senderId, senderName, routed.source(),
                    false, false, false, null, null, null, null);
        }
        return new ChatEvent(message.chatId(), message.id(), createdAt, senderId, senderName, routed.source(), true,
                recognition.complete(), recognition.testCall(), cap(recognition.dialedNumber(), MAX_FIELD_CHARS),
                cap(recognition.location(), MAX_FIELD_CHARS), cap(recognition.callbackNumber(), MAX_FIELD_CHARS),
                cap(recognition.text(), MAX_TEXT_CHARS));
    }

    private static String cap(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "\u2026";
    }
}
