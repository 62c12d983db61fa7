package com.teamsemergency.streams.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationCodec;

/**
 * User locations as JSON. A row that cannot be read is treated as unknown, with a warning naming the key, instead
 * of stopping the table: an alert with no location still goes out, flagged, which is the safe outcome.
 */
public final class UserLocationSerde implements Serde<UserLocation> {

    private static final Logger log = LoggerFactory.getLogger(UserLocationSerde.class);

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
                log.warn("Ignored an unreadable user location in {} ({} bytes): {}", topic, bytes.length,
                        e.getMessage());
                return null;
            }
        };
    }
}
