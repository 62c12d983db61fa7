package com.teamsemergency.common.location;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for {@link UserLocation} values; a null value stays null (a tombstone). A value that cannot
 * be read throws: returning null would delete the caller's good location, whereas the Streams application's
 * deserialization handler skips the record (and keeps a dead letter of it), leaving the old location in place.
 */
public final class UserLocationSerde implements Serde<UserLocation> {

    @Override
    public Serializer<UserLocation> serializer() {
        return (topic, location) -> location == null ? null : UserLocationCodec.toJson(location);
    }

    @Override
    public Deserializer<UserLocation> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return UserLocationCodec.parse(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("not a user location: " + e.getMessage(), e);
            }
        };
    }
}
