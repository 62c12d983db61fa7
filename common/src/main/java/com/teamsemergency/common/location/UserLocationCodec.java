package com.teamsemergency.common.location;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.teamsemergency.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads and writes {@link UserLocation} JSON, as kept in the compacted user-location topic.
 */
public final class UserLocationCodec {

    private static final ObjectReader READER = Json.mapper().readerFor(UserLocation.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private UserLocationCodec() {
    }

    /**
     * Parses a user location; {@code userId} is required.
     *
     * @throws IllegalArgumentException when the bytes are empty, not a JSON object of that shape, or lack a userId
     */
    public static UserLocation parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException("the user location is empty");
        }
        UserLocation location;
        try {
            location = READER.readValue(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the user location is not a JSON object of the expected shape ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("the user location is nested too deeply");
        }
        if (location == null || location.userId() == null || location.userId().isBlank()) {
            throw new IllegalArgumentException("the user location has no userId");
        }
        return location;
    }

    /** Writes a user location, nulls included. */
    public static byte[] toJson(UserLocation location) {
        try {
            return Json.mapper().writeValueAsBytes(location);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a user location as JSON", e);
        }
    }
}
