package com.teamsemergency.streams.topology;

import java.time.Instant;

import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.common.message.Recognition;

/** Applies the emergency rules to a chat message and keeps what the incident tracker needs of it. */
final class MessageRecognition {

    private final EmergencyRules rules;

    MessageRecognition(EmergencyRules rules) {
        this.rules = rules;
    }

    ChatEvent recognise(Routed.Message routed, long recordTimestamp) {
        ChatMessage message = routed.message();
        Recognition recognition = rules.recognise(message);
        // Graph always sets createdDateTime; the record's time stands in so that a message without one is not lost.
        Instant createdAt = message.createdDateTime() != null ? message.createdDateTime()
                : Instant.ofEpochMilli(recordTimestamp);
        String senderId = message.from() == null ? null : message.from().userId();
        String senderName = message.from() == null ? null : message.from().displayName();
        if (!recognition.emergency()) {
            return new ChatEvent(message.chatId(), message.id(), createdAt, senderId, senderName, routed.source(),
                    false, false, false, null, null, null, null);
        }
        return new ChatEvent(message.chatId(), message.id(), createdAt, senderId, senderName, routed.source(), true,
                recognition.complete(), recognition.testCall(), recognition.dialedNumber(), recognition.location(),
                recognition.callbackNumber(), recognition.text());
    }
}
