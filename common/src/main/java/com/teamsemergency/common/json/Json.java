package com.teamsemergency.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Holds the one Jackson {@link ObjectMapper} every module uses, so that all topics share one JSON dialect.
 */
public final class Json {

    // ObjectMapper is thread-safe once configured; callers must not reconfigure this shared instance.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A second "value" or "clientState" in one object must not silently win over the first.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS,
                    JsonInclude.Include.ALWAYS))
            .build();

    private Json() {
    }

    /**
     * The shared mapper: ignores unknown properties, writes {@code java.time} values as ISO-8601 strings and
     * writes null fields.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
