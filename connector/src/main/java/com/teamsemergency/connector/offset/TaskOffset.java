package com.teamsemergency.connector.offset;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a task remembers across restarts, as one small typed value converted to and from Connect's offset maps here
 * and nowhere else.
 *
 * <p>The partition is the service user; the offset holds the reconciliation watermark, the id of the subscription
 * last used (a hint: it is always checked against {@code GET /subscriptions}) and the sealed token cache. Connect
 * keeps source offsets in its compacted offsets topic, so this is how the tokens survive a restart or a move to
 * another worker without a second compacted topic to create, secure and read back.
 */
public record TaskOffset(Instant watermark, String subscriptionId, String sealedTokenCache) {

    public static final int VERSION = 1;

    static final String VERSION_KEY = "version";
    static final String SERVICE_USER_KEY = "serviceUser";
    static final String WATERMARK_KEY = "watermarkEpochMs";
    static final String SUBSCRIPTION_KEY = "subscriptionId";
    static final String TOKEN_CACHE_KEY = "tokenCache";

    public static final TaskOffset EMPTY = new TaskOffset(null, null, null);

    /** The source partition of a service user. */
    public static Map<String, Object> partition(String serviceUser) {
        Map<String, Object> partition = new HashMap<>();
        partition.put(VERSION_KEY, VERSION);
        partition.put(SERVICE_USER_KEY, Objects.requireNonNull(serviceUser));
        return partition;
    }

    /** Reads a stored offset; a missing or newer-versioned one gives {@link #EMPTY}, never a failure. */
    public static TaskOffset fromMap(Map<String, Object> offset) {
        if (offset == null || offset.isEmpty()) {
            return EMPTY;
        }
        Object version = offset.get(VERSION_KEY);
        if (!(version instanceof Number) || ((Number) version).intValue() != VERSION) {
            // A later version's layout cannot be read safely: start as a fresh task (sign-in, initial lookback).
            return EMPTY;
        }
        Object watermark = offset.get(WATERMARK_KEY);
        Instant at = watermark instanceof Number ? Instant.ofEpochMilli(((Number) watermark).longValue()) : null;
        return new TaskOffset(at, asString(offset.get(SUBSCRIPTION_KEY)), asString(offset.get(TOKEN_CACHE_KEY)));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>();
        map.put(VERSION_KEY, VERSION);
        if (watermark != null) {
            map.put(WATERMARK_KEY, watermark.toEpochMilli());
        }
        if (subscriptionId != null) {
            map.put(SUBSCRIPTION_KEY, subscriptionId);
        }
        if (sealedTokenCache != null) {
            map.put(TOKEN_CACHE_KEY, sealedTokenCache);
        }
        return map;
    }

    public TaskOffset withWatermark(Instant value) {
        return new TaskOffset(value, subscriptionId, sealedTokenCache);
    }

    public TaskOffset withSubscriptionId(String value) {
        return new TaskOffset(watermark, value, sealedTokenCache);
    }

    public TaskOffset withSealedTokenCache(String value) {
        return new TaskOffset(watermark, subscriptionId, value);
    }

    @Override
    public String toString() {
        // The sealed cache is ciphertext, but it still has no business in a log line.
        return "TaskOffset[watermark=" + watermark + ", subscriptionId=" + subscriptionId + ", tokenCache="
                + (sealedTokenCache == null ? "none" : "sealed") + "]";
    }

    private static String asString(Object value) {
        return value instanceof String ? (String) value : null;
    }
}
