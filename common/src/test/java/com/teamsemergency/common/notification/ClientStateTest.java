package com.teamsemergency.common.notification;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientStateTest {

    @Test
    void matchesEqualStates() {
        assertTrue(ClientState.matches("fixture-client-state-7Hq2", "fixture-client-state-7Hq2"));
        assertTrue(ClientState.matches("état-ü", "état-ü"));
    }

    @Test
    void rejectsDifferentStates() {
        assertFalse(ClientState.matches("fixture-client-state-7Hq2", "not-our-state"));
        assertFalse(ClientState.matches("fixture-client-state-7Hq2", "fixture-client-state-7Hq"));
        assertFalse(ClientState.matches("fixture-client-state-7Hq2", "fixture-client-state-7Hq2 "));
        assertFalse(ClientState.matches("abc", "ABC"));
        assertFalse(ClientState.matches("abc", ""));
    }

    @Test
    void rejectsNull() {
        assertFalse(ClientState.matches(null, "x"));
        assertFalse(ClientState.matches("x", null));
        assertFalse(ClientState.matches(null, null));
    }
}
