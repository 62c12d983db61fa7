package com.teamsemergency.common.message;

import java.time.Instant;

/**
 * The parts of a Teams {@code chatMessage} the alerting needs.
 */
public record ChatMessage(String id, String chatId, String messageType, Instant createdDateTime, String importance,
                          Sender from, String bodyContentType, String bodyContent, String replyToId) {

    /** The body as plain text lines: HTML bodies are rendered by {@link HtmlText}, text bodies normalised. */
    public String plainText() {
        if (bodyContent == null) {
            return "";
        }
        if ("html".equalsIgnoreCase(bodyContentType)) {
            return HtmlText.toPlainText(bodyContent);
        }
        return HtmlText.normaliseLines(bodyContent);
    }

    /** A copy with the chat id set, for messages whose JSON did not carry it (the notification's resource does). */
    public ChatMessage withChatId(String newChatId) {
        return new ChatMessage(id, newChatId, messageType, createdDateTime, importance, from, bodyContentType,
                bodyContent, replyToId);
    }

    // The body is what people wrote: it stays out of logs.
    @Override
    public String toString() {
        return "ChatMessage[id=" + id + ", chatId=" + chatId + ", messageType=" + messageType
                + ", createdDateTime=" + createdDateTime + ", importance=" + importance + ", from=" + from
                + ", bodyContentType=" + bodyContentType + ", bodyLength="
                + (bodyContent == null ? 0 : bodyContent.length()) + ", replyToId=" + replyToId + "]";
    }
}
