package com.teamsemergency.streams.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.crypto.DecryptionException;
import com.teamsemergency.common.crypto.NotificationDecryptor;
import com.teamsemergency.common.deadletter.DeadLetterReason;
import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.ChatMessageCodec;
import com.teamsemergency.common.message.MalformedMessageException;
import com.teamsemergency.common.notification.ChangeNotification;
import com.teamsemergency.common.notification.ChangeNotificationCodec;
import com.teamsemergency.common.notification.ClientState;
import com.teamsemergency.common.notification.MalformedNotificationException;

/**
 * Opens one Event Hub record: parses Graph's notification collection and, for each notification, skips Graph's
 * validation event, checks client state and tenant, sends lifecycle events and notifications without resource data
 * to the connector, and decrypts the rest into chat messages. Whatever fails becomes a dead letter.
 */
final class NotificationUnpacker implements Processor<byte[], byte[], String, Routed> {

    private static final Logger log = LoggerFactory.getLogger(NotificationUnpacker.class);

    private final String expectedClientState;
    private final String expectedTenantId;
    private final NotificationDecryptor decryptor;
    private final ProcessingCounters counters;
    private ProcessorContext<String, Routed> context;

    NotificationUnpacker(String expectedClientState, String expectedTenantId, NotificationDecryptor decryptor,
                         ProcessingCounters counters) {
        this.expectedClientState = expectedClientState;
        this.expectedTenantId = expectedTenantId;
        this.decryptor = decryptor;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        List<ChangeNotification> notifications;
        try {
            notifications = ChangeNotificationCodec.parseCollection(record.value());
        } catch (MalformedNotificationException e) {
            deadLetter(record, e.reason(), e.getMessage(), -1);
            return;
        }

        for (int index = 0; index < notifications.size(); index++) {
            try {
                route(record, notifications.get(index), index);
            } catch (RuntimeException e) {
                // A notification that breaks an assumption of ours must not stop the stream: it is kept, with why.
                log.error("Unexpected failure on notification {} of {}", index, origin(), e);
                deadLetter(record, DeadLetterReason.MALFORMED_NOTIFICATION,
                        "unexpected " + e.getClass().getSimpleName(), index);
            }
        }
    }

    private void route(Record<byte[], byte[]> record, ChangeNotification notification, int index) {
        if (notification.isValidation()) {
            counters.validationEventSkipped();
            log.info("Skipped Graph's validation event for a new subscription ({})", origin());
            return;
        }

        if (!ClientState.matches(expectedClientState, notification.clientState())) {
            deadLetter(record, DeadLetterReason.CLIENT_STATE_MISMATCH,
                    "clientState does not match; subscription " + notification.subscriptionId(), index);
            return;
        }

        if (expectedTenantId != null && !expectedTenantId.equalsIgnoreCase(notification.tenantId())) {
            deadLetter(record, DeadLetterReason.TENANT_MISMATCH, "tenant " + notification.tenantId(), index);
            return;
        }

        if (notification.isLifecycle() || !notification.hasResourceData()) {
            ChangeNotification withoutSecrets = new ChangeNotification(notification.subscriptionId(),
                    notification.changeType(), null, notification.resource(), notification.resourceData(),
                    notification.subscriptionExpirationDateTime(), notification.tenantId(),
                    notification.lifecycleEvent(), null);
            context.forward(new Record<>(notification.subscriptionId(),
                    new Routed.ControlRequest(notification.subscriptionId(),
                            ChangeNotificationCodec.toJson(withoutSecrets)),
                    record.timestamp()));
            return;
        }

        ChatMessage message;
        try {
            byte[] plaintext = decryptor.decrypt(notification.encryptedContent());
            message = ChatMessageCodec.parse(plaintext);
        } catch (DecryptionException e) {
            deadLetter(record, e.reason(), e.getMessage(), index);
            return;
        } catch (MalformedMessageException e) {
            deadLetter(record, DeadLetterReason.MALFORMED_MESSAGE, e.getMessage(), index);
            return;
        }

        if (message.chatId() == null || message.chatId().isBlank()) {
            String chatId = notification.chatId().orElse(null);
            if (chatId == null) {
                deadLetter(record, DeadLetterReason.MALFORMED_NOTIFICATION, "no chat id in message or resource", index);
                return;
            }
            message = message.withChatId(chatId);
        }
        log.debug("Decrypted message {} of chat {}", message.id(), message.chatId());
        context.forward(new Record<>(message.chatId(), new Routed.Message(message, MessageSource.NOTIFICATION),
                record.timestamp()));
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetterReason reason, String detail, int index) {
        counters.deadLettered();
        context.forward(DeadLetterHeaders.deadLetter(context, record, reason, detail, index));
    }

    private String origin() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("an unknown offset");
    }
}
