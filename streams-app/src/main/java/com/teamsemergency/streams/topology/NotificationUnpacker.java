package com.teamsemergency.streams.topology;

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
        List<ChangeNotificationCodec.CollectionItem> items;
        try {
            items = ChangeNotificationCodec.parseItems(record.value());
        } catch (MalformedNotificationException e) {
            context.forward(DeadLetterHeaders.deadLetter(context, record, record.value(), e.reason(), e.getMessage(),
                    -1));
            counters.deadLettered();
            return;
        }

        for (int index = 0; index < items.size(); index++) {
            ChangeNotificationCodec.CollectionItem item = items.get(index);
            if (item.problem() != null) {
                itemDeadLetter(record, item.redactedJson(), item.problem().reason(), item.problem().getMessage(),
                        index);
                continue;
            }
            try {
                route(record, item.notification(), index);
            } catch (RuntimeException e) {
                // A notification that breaks an assumption of ours must not stop the stream: it is kept, with why.
                log.error("Unexpected failure on notification {} of {}", index, origin(), e);
                deadLetter(record, item.notification(), DeadLetterReason.MALFORMED_NOTIFICATION,
                        "unexpected " + e.getClass().getSimpleName(), index);
            }
        }
    }

    private void route(Record<byte[], byte[]> record, ChangeNotification notification, int index) {
        // Graph's validation event carries no content; one that does is not Graph's and is checked like any other.
        if (notification.isValidation() && !notification.hasResourceData()) {
            counters.validationEventSkipped();
            log.info("Skipped Graph's validation event for a new subscription ({})", origin());
            return;
        }

        if (!ClientState.matches(expectedClientState, notification.clientState())) {
            deadLetter(record, notification, DeadLetterReason.CLIENT_STATE_MISMATCH,
                    "clientState does not match; subscription " + notification.subscriptionId(), index);
            return;
        }

        if (expectedTenantId != null && !expectedTenantId.equalsIgnoreCase(notification.tenantId())) {
            deadLetter(record, notification, DeadLetterReason.TENANT_MISMATCH, "tenant " + notification.tenantId(),
                    index);
            return;
        }

        if ("deleted".equalsIgnoreCase(notification.changeType()) && !notification.isLifecycle()) {
            // A deleted message is no new call; the call it may have been was alerted when it was created.
            counters.deletionSkipped();
            log.debug("Skipped a deletion notification ({})", origin());
            return;
        }

        if (notification.isLifecycle() || !notification.hasResourceData()) {
            counters.controlRequested();
            log.debug("Sent {} to the connector ({})", notification.isLifecycle() ? notification.lifecycleEvent()
                    : "a notification without resource data", origin());
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
            deadLetter(record, notification, e.reason(), e.getMessage(), index);
            return;
        } catch (MalformedMessageException e) {
            deadLetter(record, notification, DeadLetterReason.MALFORMED_MESSAGE, e.getMessage(), index);
            return;
        }

        if (message.chatId() == null || message.chatId().isBlank()) {
            String chatId = notification.chatId().orElse(null);
            if (chatId == null) {
                deadLetter(record, notification, DeadLetterReason.MALFORMED_NOTIFICATION,
                        "no chat id in message or resource", index);
                return;
            }
            message = message.withChatId(chatId);
        }
        log.debug("Decrypted message {} of chat {}", message.id(), message.chatId());
        context.forward(new Record<>(message.chatId(), new Routed.Message(message, MessageSource.NOTIFICATION),
                record.timestamp()));
    }

    /**
     * A dead letter for one notification of the record: it holds that notification alone, client state masked, so
     * that a bad item neither copies the whole record once per item nor copies our secret into another topic.
     */
    private void deadLetter(Record<byte[], byte[]> record, ChangeNotification notification, DeadLetterReason reason,
                            String detail, int index) {
        itemDeadLetter(record, ChangeNotificationCodec.redactedJson(notification), reason, detail, index);
    }

    private void itemDeadLetter(Record<byte[], byte[]> record, byte[] item, DeadLetterReason reason, String detail,
                                int index) {
        counters.deadLettered();
        context.forward(DeadLetterHeaders.deadLetter(context, record, item, reason, detail, index));
    }

    private String origin() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("an unknown offset");
    }
}
