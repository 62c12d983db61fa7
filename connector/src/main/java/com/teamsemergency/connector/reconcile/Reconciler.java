package com.teamsemergency.connector.reconcile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.connector.graph.GraphClient;
import com.teamsemergency.connector.graph.GraphException;

/**
 * Finds the chat messages Graph may not have notified: reads the service user's most recently active chats and,
 * only for those active since the watermark, the messages modified since then. One request for the chat list
 * plus one per active chat keeps a run within Teams' throttling.
 */
public final class Reconciler {

    /** One run's findings, oldest first, and the newest modification time seen. */
    public record Findings(List<ObjectNode> messages, Instant newest, int chatsRead) {
    }

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final GraphClient graph;
    private final int maxChats;

    public Reconciler(GraphClient graph, int maxChats) {
        this.graph = graph;
        this.maxChats = maxChats;
    }

    public Findings run(Instant since) {
        // TODO(a service user in more than reconciliation.max.chats chats active within one interval): follow the
        //  chat list's next link instead of reading only its first page.
        List<ObjectNode> found = new ArrayList<>();
        int chatsRead = 0;
        for (JsonNode chat : graph.recentChats(maxChats)) {
            String chatId = chat.path("id").asText(null);
            if (chatId == null || !activeSince(chat, since)) {
                continue;
            }
            chatsRead++;
            List<JsonNode> messages;
            try {
                messages = graph.messagesModifiedSince(chatId, since);
            } catch (GraphException e) {
                if (e.status() != 403 && e.status() != 404) {
                    throw e;
                }
                // A chat deleted or left since it was listed must not stop the reconciliation of the others.
                log.warn("Skipping chat {} in this reconciliation: {}", chatId, e.getMessage());
                continue;
            }
            for (JsonNode message : messages) {
                if (message instanceof ObjectNode object && modified(object).isAfter(since)) {
                    if (!object.hasNonNull("chatId")) {
                        // Consumers key and route by chatId; Graph includes it, a proxy might not.
                        object.put("chatId", chatId);
                    }
                    found.add(object);
                }
            }
        }
        found.sort(Comparator.comparing(Reconciler::modified));
        Instant newest = found.isEmpty() ? null : modified(found.get(found.size() - 1));
        log.debug("Reconciliation since {} read {} chats and found {} messages", since, chatsRead, found.size());
        return new Findings(found, newest, chatsRead);
    }

    /** The record key of a chat message: {@code chatId/messageId}. */
    public static String key(JsonNode message) {
        return message.path("chatId").asText() + "/" + message.path("id").asText();
    }

    private static boolean activeSince(JsonNode chat, Instant since) {
        Instant preview = time(chat.path("lastMessagePreview").path("createdDateTime").asText(null));
        Instant updated = time(chat.path("lastUpdatedDateTime").asText(null));
        // Without either timestamp the chat cannot be ruled out.
        return (preview == null && updated == null) || (preview != null && preview.isAfter(since))
                || (updated != null && updated.isAfter(since));
    }

    /** When a message was last modified (or created), as Graph says. */
    public static Instant modified(JsonNode message) {
        Instant at = time(message.path("lastModifiedDateTime").asText(null));
        if (at == null) {
            at = time(message.path("createdDateTime").asText(null));
        }
        return at == null ? Instant.EPOCH : at;
    }

    static Instant time(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
