package com.teamsemergency.common.location;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka {@link Serde} for {@link UserLocation} values; a null value stays null (a tombstone). A value that cannot
 * be read is taken as "no location known", with a warning naming the topic, instead of failing: the location table
 * feeds every alert, and an alert without a location still goes out, flagged, which is the safe outcome.
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
                // TODO(a dead-letter route for global-table records): the bad row is only logged, not kept.
                log.warn("Ignored an unreadable user location in {} ({} bytes): {}", topic, bytes.length,
                        e.getMessage());
                return null;
            }
        };
    }
}
