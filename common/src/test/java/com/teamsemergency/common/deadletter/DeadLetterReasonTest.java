package com.teamsemergency.common.deadletter;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterReasonTest {

    @Test
    void hasKebabCaseCodes() {
        assertEquals("client-state-mismatch", DeadLetterReason.CLIENT_STATE_MISMATCH.code());
        assertEquals("not-json", DeadLetterReason.NOT_JSON.code());
        Set<String> codes = new HashSet<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertTrue(reason.code().matches("[a-z]+(-[a-z]+)*"), reason.code());
            assertTrue(codes.add(reason.code()), reason.code());
        }
    }

    @Test
    void describesEveryReasonAsASentence() {
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            String description = reason.description();
            assertTrue(description.length() > 40 && description.endsWith("."), reason + ": " + description);
        }
        assertTrue(DeadLetterReason.UNKNOWN_CERTIFICATE.description().contains("private key"));
        assertTrue(DeadLetterReason.UNKNOWN_CERTIFICATE.description().contains("keystore"));
    }
}
