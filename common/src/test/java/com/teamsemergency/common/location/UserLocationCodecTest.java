package com.teamsemergency.common.location;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserLocationCodecTest {

    private static final UserLocation DANA = new UserLocation("7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f",
            "Dana Whitfield", "Building 2", "3", "3.14", "500 Example Ave", "Springfield", "US", null);

    @Test
    void roundTripsAUserLocation() {
        assertEquals(DANA, UserLocationCodec.parse(UserLocationCodec.toJson(DANA)));
    }

    @Test
    void writesNullFields() {
        String json = new String(UserLocationCodec.toJson(DANA), StandardCharsets.UTF_8);

        assertTrue(json.contains("\"notes\":null"), json);
    }

    @Test
    void ignoresUnknownFieldsAndAcceptsMissingOnes() {
        UserLocation location = UserLocationCodec.parse(bytes("{\"userId\":\"u1\",\"desk\":\"12\"}"));

        assertEquals("u1", location.userId());
        assertNull(location.building());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"userId\":\" \"}", "{\"userId\":\"u\"} x",
        "{\"userId\":{\"a\":1}}"})
    void rejectsWhatIsNotAUserLocation(String json) {
        assertThrows(IllegalArgumentException.class, () -> UserLocationCodec.parse(bytes(json)));
    }

    @Test
    void serdeKeepsTombstonesAndRefusesWhatItCannotRead() {
        try (UserLocationSerde serde = new UserLocationSerde()) {
            assertNull(serde.serializer().serialize("t", null));
            assertNull(serde.deserializer().deserialize("t", null));
            assertEquals(DANA, serde.deserializer().deserialize("t", serde.serializer().serialize("t", DANA)));
            assertThrows(org.apache.kafka.common.errors.SerializationException.class,
                    () -> serde.deserializer().deserialize("t", bytes("{}")), "null would delete the old location");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
