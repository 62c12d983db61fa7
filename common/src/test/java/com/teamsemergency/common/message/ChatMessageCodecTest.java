package com.teamsemergency.common.message;

import com.teamsemergency.common.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatMessageCodecTest {

    @Test
    void readsTheEmergencyMessage() throws Exception {
        ChatMessage message = ChatMessageCodec.parse(Fixtures.read("messages/emergency-call.json"));

        assertEquals("1796396531000", message.id());
        assertEquals("19:8a2f0c1d5e6b4a7c9d0e1f2a3b4c5d6e@thread.v2", message.chatId());
        assertEquals("message", message.messageType());
        assertEquals(Instant.parse("2026-12-04T15:02:11Z"), message.createdDateTime());
        assertEquals("urgent", message.importance());
        assertEquals(new Sender("7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f", "Dana Whitfield"), message.from());
        assertEquals("html", message.bodyContentType());
        assertTrue(message.bodyContent().startsWith("<p><strong>Dana Whitfield</strong>"));
        assertNull(message.replyToId());
        assertEquals("Dana Whitfield has placed an Emergency Call to 911.\n"
                + "Location: Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US\n"
                + "Callback number: +1 217 555 0142", message.plainText());
    }

    @Test
    void acceptsAMessageWithoutChatIdAndFillsItLater() throws Exception {
        ChatMessage message = ChatMessageCodec.parse(bytes("{\"id\":\"7\",\"body\":{\"contentType\":\"text\","
                + "\"content\":\"  hello \\n\\n world \"},\"createdDateTime\":\"2026-12-04T15:02:11+01:00\"}"));

        assertNull(message.chatId());
        assertEquals("chat-1", message.withChatId("chat-1").chatId());
        assertEquals("7", message.withChatId("chat-1").id());
        assertEquals("hello\nworld", message.plainText());
        assertEquals(Instant.parse("2026-12-04T14:02:11Z"), message.createdDateTime());
    }

    @Test
    void readsTheSenderOfABotMessage() throws Exception {
        ChatMessage message = ChatMessageCodec.parse(bytes("{\"id\":\"7\",\"from\":{\"user\":null,"
                + "\"application\":{\"id\":\"app-1\",\"displayName\":\"Bot\"}}}"));

        assertEquals(new Sender("app-1", "Bot"), message.from());
    }

    @Test
    void keepsAnUnreadableDateAsNull() throws Exception {
        assertNull(ChatMessageCodec.parse(bytes("{\"id\":\"7\",\"createdDateTime\":\"yesterday\"}"))
                .createdDateTime());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"id\":\"\"}", "{\"id\":{}}", "{\"id\":\"1\",\"body\":\"x\"}",
        "{\"id\":\"1\",\"from\":[]}", "{\"id\":\"1\"} extra"})
    void rejectsDocumentsThatAreNotChatMessages(String json) {
        assertThrows(MalformedMessageException.class, () -> ChatMessageCodec.parse(bytes(json)));
    }

    @Test
    void rejectsNull() {
        assertThrows(MalformedMessageException.class, () -> ChatMessageCodec.parse(null));
    }

    @Test
    void keepsTheBodyOutOfToString() throws Exception {
        ChatMessage message = ChatMessageCodec.parse(Fixtures.read("messages/emergency-call.json"));

        assertFalse(message.toString().contains("Example Ave"), message.toString());
    }

    @Test
    void roundTripsThroughItsOwnJson() throws Exception {
        ChatMessage message = ChatMessageCodec.parse(Fixtures.read("messages/emergency-call.json"));

        assertEquals(message, ChatMessageCodec.fromJson(ChatMessageCodec.toJson(message)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
