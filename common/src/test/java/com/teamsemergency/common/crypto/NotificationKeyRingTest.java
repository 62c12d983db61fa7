package com.teamsemergency.common.crypto;

import com.teamsemergency.common.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationKeyRingTest {

    private static final char[] PASSWORD = Fixtures.KEYSTORE_PASSWORD.toCharArray();

    @Test
    void indexesEachPrivateKeyByAliasAndThumbprint() {
        NotificationKeyRing ring = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(), PASSWORD);

        assertEquals(Set.of(Fixtures.CERTIFICATE_ID), ring.certificateIds());
        assertTrue(ring.privateKey(Fixtures.CERTIFICATE_ID).isPresent());
        assertEquals(Fixtures.CERTIFICATE_THUMBPRINT, ring.thumbprint(Fixtures.CERTIFICATE_ID).orElseThrow());
        assertEquals(Fixtures.CERTIFICATE_ID,
                ring.certificateIdByThumbprint(Fixtures.CERTIFICATE_THUMBPRINT.toLowerCase()).orElseThrow());
        assertTrue(ring.privateKey("someone-else").isEmpty());
        assertTrue(ring.privateKey(null).isEmpty());
    }

    @Test
    void findsCertificateIdRegardlessOfCase() {
        NotificationKeyRing ring = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(), PASSWORD);

        assertTrue(ring.privateKey("Teams-Emergency-2026").isPresent());
    }

    @Test
    void loadsFromAStream() {
        NotificationKeyRing ring = NotificationKeyRing.fromPkcs12(Fixtures.open(Fixtures.KEYSTORE), PASSWORD);

        assertEquals(Set.of(Fixtures.CERTIFICATE_ID), ring.certificateIds());
    }

    @Test
    void saysWhenTheKeystoreFileIsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.p12");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotificationKeyRing.fromPkcs12(missing, PASSWORD));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("nowhere.p12"),
                e.getMessage());
    }

    @Test
    void saysWhenThePasswordIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(), "wrong".toCharArray()));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @Test
    void saysWhenTheFileIsNotAKeystore(@TempDir Path dir) throws Exception {
        Path notAKeystore = Files.writeString(dir.resolve("notes.p12"), "hello");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotificationKeyRing.fromPkcs12(notAKeystore, PASSWORD));
        assertTrue(e.getMessage().contains("notes.p12"), e.getMessage());
    }

    @Test
    void doesNotShowKeysInToString() {
        NotificationKeyRing ring = NotificationKeyRing.fromPkcs12(Fixtures.keystorePath(), PASSWORD);

        assertEquals("NotificationKeyRing{" + Fixtures.CERTIFICATE_ID + "=" + Fixtures.CERTIFICATE_THUMBPRINT + "}",
                ring.toString());
    }
}
