package com.teamsemergency.connector.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ControlRecordsTest {

    @Test
    void reauthorizationRequiredAsksToReauthorize() {
        String value = "{\"subscriptionId\":\"s1\",\"lifecycleEvent\":\"reauthorizationRequired\"}";
        assertEquals(List.of(new ControlAction.Reauthorize("s1")), ControlRecords.parse(value));
    }

    @Test
    void subscriptionRemovedInACollectionAsksToRecreate() {
        String value = "{\"value\":[{\"subscriptionId\":\"s1\",\"lifecycleEvent\":\"subscriptionRemoved\"}]}";
        assertEquals(List.of(new ControlAction.Recreate("s1")), ControlRecords.parse(value));
    }

    @Test
    void notificationWithoutResourceDataAsksToFetchTheMessage() {
        String value = "{\"subscriptionId\":\"s1\",\"changeType\":\"created\","
                + "\"resource\":\"chats('19:abc@thread.v2')/messages('1796396531000')\","
                + "\"resourceData\":{\"id\":\"1796396531000\"}}";
        assertEquals(List.of(new ControlAction.Fetch("s1", "19:abc@thread.v2", "1796396531000")),
                ControlRecords.parse(value));
    }

    @Test
    void notificationWithEncryptedContentNeedsNothing() {
        String value = "{\"subscriptionId\":\"s1\",\"resource\":\"chats('c')/messages('m')\","
                + "\"encryptedContent\":{\"data\":\"x\"}}";
        assertEquals(List.of(), ControlRecords.parse(value));
    }

    @Test
    void ignoresGarbage() {
        assertEquals(List.of(), ControlRecords.parse("not json"));
        assertEquals(List.of(), ControlRecords.parse(null));
    }
}
