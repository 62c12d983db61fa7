package com.teamsemergency.common.notification;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeNotificationTest {

    private static final String CHAT = "19:8a2f0c1d5e6b4a7c9d0e1f2a3b4c5d6e@thread.v2";

    @ParameterizedTest
    @ValueSource(strings = {"chats('" + CHAT + "')/messages('42')", "/chats('" + CHAT + "')/messages('42')",
        "chats/" + CHAT + "/messages/42", "/users('u-1')/chats('" + CHAT + "')/messages('42')",
        "Chats('" + CHAT + "')/Messages('42')"})
    void findsChatAndMessageIdsInTheResource(String resource) {
        ChangeNotification n = notification(resource, null);

        assertEquals(CHAT, n.chatId().orElseThrow());
        assertEquals("42", n.messageId().orElseThrow());
    }

    @Test
    void fallsBackToTheODataIdOfTheResourceData() {
        ChangeNotification n = notification("NA",
                new ResourceData("42", "#Microsoft.Graph.chatMessage", "chats('" + CHAT + "')/messages('42')"));

        assertEquals(CHAT, n.chatId().orElseThrow());
        assertEquals("42", n.messageId().orElseThrow());
    }

    @Test
    void findsNothingWhereNothingIsNamed() {
        ChangeNotification n = notification("NA", new ResourceData("NA", "NA", "NA"));

        assertTrue(n.chatId().isEmpty());
        assertTrue(n.messageId().isEmpty());
        assertTrue(notification(null, null).chatId().isEmpty());
        assertTrue(notification("chats('')/messages('')", null).chatId().isEmpty());
    }

    @Test
    void hidesClientStateAndEncryptedContentInToString() {
        ChangeNotification n = new ChangeNotification("sub", "created", "very-secret-state", "chats('c')/messages('m')",
                null, null, "tenant", null,
                new EncryptedContent("CIPHERTEXT", "WRAPPEDKEY", "SIGNATURE", "cert-id", "THUMB"));

        String text = n.toString();

        assertFalse(text.contains("very-secret-state"), text);
        assertFalse(text.contains("CIPHERTEXT"), text);
        assertFalse(text.contains("WRAPPEDKEY"), text);
        assertTrue(text.contains("sub") && text.contains("hasResourceData=true"), text);
    }

    @Test
    void treatsBlankLifecycleEventAsNone() {
        ChangeNotification n = new ChangeNotification("s", "created", null, null, null, null, null, " ", null);

        assertFalse(n.isLifecycle());
        assertFalse(n.isValidation());
    }

    private static ChangeNotification notification(String resource, ResourceData data) {
        return new ChangeNotification("sub", "created", "state", resource, data, null, "tenant", null, null);
    }
}
