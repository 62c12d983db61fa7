package com.teamsemergency.streams.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.ChatMessageCodec;
import com.teamsemergency.common.message.MalformedMessageException;

/**
 * Reads a chat message that the connector's reconciliation found, keyed {@code chatId/messageId}. The message JSON
 * is Graph's own, so it may lack {@code chatId}; the key supplies it then.
 */
final class ReconciledMessageReader implements Processor<byte[], byte[], String, Routed> {

    private final ProcessingCounters counters;
    private ProcessorContext<String, Routed> context;

    ReconciledMessageReader(ProcessingCounters counters) {
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        ChatMessage message;
        try {
            message = ChatMessageCodec.parse(record.value());
        } catch (MalformedMessageException | RuntimeException e) {
            deadLetter(record, e.getMessage());
            return;
        }

        if (message.chatId() == null || message.chatId().isBlank()) {
            int slash = key == null ? -1 : key.lastIndexOf('/');
            if (slash <= 0) {
                deadLetter(record, "no chat id in the message or in the key");
                return;
            }
            message = message.withChatId(key.substring(0, slash));
        }
        context.forward(new Record<>(message.chatId(), new Routed.Message(message, MessageSource.RECONCILIATION),
                record.timestamp()));
    }

    private void deadLetter(Record<byte[], byte[]> record, String detail) {
        counters.deadLettered();
        context.forward(DeadLetterHeaders.deadLetter(context, record, record.value(),
                DeadLetterReason.MALFORMED_MESSAGE, detail, -1));
    }
}
