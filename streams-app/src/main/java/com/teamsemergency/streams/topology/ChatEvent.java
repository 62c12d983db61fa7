package com.teamsemergency.streams.topology;

import java.time.Instant;

/**
 * What the incident tracker needs to know of one chat message, repartitioned by chat. Only an emergency message
 * carries its text: the bodies of ordinary chats never leave the step that decrypts them.
 *
 * @param emergency      whether an emergency marker matched
 * @param rulesComplete  whether the dialled number and location rules both matched
 * @param text           the plain text, for emergency messages only
 */
public record ChatEvent(
        String chatId,
        String messageId,
        Instant createdAt,
        String senderId,
        String senderName,
        MessageSource source,
        boolean emergency,
        boolean rulesComplete,
        boolean testCall,
        String dialedNumber,
        String reportedLocation,
        String callbackNumber,
        String text) {

    /** The deduplication key: Graph and reconciliation may both deliver the same message, each more than once. */
    public String messageKey() {
        return chatId + "/" + messageId;
    }
}
