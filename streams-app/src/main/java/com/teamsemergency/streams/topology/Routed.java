package com.teamsemergency.streams.topology;

import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.message.ChatMessage;

/**
 * Where a record goes after it has been read and checked: on as a chat message, to the connector as a control
 * request, or to the dead letters. These values never leave the sub-topology that makes them, so they need no serde.
 */
public sealed interface Routed {

    /** A chat message in clear, and how it arrived. */
    record Message(ChatMessage message, MessageSource source) implements Routed {
    }

    /** Something the connector must act on: a lifecycle event, or a notification whose message must be fetched. */
    record ControlRequest(String subscriptionId, byte[] notification) implements Routed {
    }

    /**
     * A record that cannot be processed, with where it came from. {@code notificationIndex} says which item of a
     * collection failed, or is -1 when the whole record did; {@code originalValue} is then the record's value, and
     * otherwise the failed item's JSON with its client state masked.
     */
    record DeadLetter(byte[] originalKey, byte[] originalValue, DeadLetterReason reason, String detail,
                      String topic, int partition, long offset, int notificationIndex) implements Routed {
    }
}
