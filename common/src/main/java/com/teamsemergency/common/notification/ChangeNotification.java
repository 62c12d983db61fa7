package com.teamsemergency.common.notification;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Graph change notification as delivered into the Event Hub, with its resource data still encrypted.
 */
public record ChangeNotification(String subscriptionId, String changeType, String clientState, String resource,
                                 ResourceData resourceData, String subscriptionExpirationDateTime, String tenantId,
                                 String lifecycleEvent, EncryptedContent encryptedContent) {

    // Both OData key syntax chats('X')/messages('Y') and path syntax chats/X/messages/Y, with or without a leading
    // slash or a prefix such as users('u')/. The character classes exclude their own delimiters, so matching is linear.
    private static final Pattern CHAT_MESSAGE = Pattern.compile(
            "(?:^|/)chats(?:\\('(?<chatQuoted>[^']*)'\\)|/(?<chatPath>[^/('?]+))"
                    + "/messages(?:\\('(?<messageQuoted>[^']*)'\\)|/(?<messagePath>[^/('?]+))",
            Pattern.CASE_INSENSITIVE);

    /** True for the event Graph writes when a subscription is created: its {@code changeType} starts "Validation:". */
    public boolean isValidation() {
        return changeType != null && changeType.startsWith("Validation:");
    }

    /** True for a lifecycle notification (reauthorizationRequired, subscriptionRemoved, ...). */
    public boolean isLifecycle() {
        return lifecycleEvent != null && !lifecycleEvent.isBlank();
    }

    /** True when the notification carries encrypted resource data. */
    public boolean hasResourceData() {
        return encryptedContent != null;
    }

    /** The chat id named by {@code resource}, else by {@code resourceData/@odata.id}. */
    public Optional<String> chatId() {
        return locate("chat");
    }

    /** The message id named by {@code resource}, else by {@code resourceData/@odata.id}. */
    public Optional<String> messageId() {
        return locate("message");
    }

    private Optional<String> locate(String what) {
        Optional<String> fromResource = locate(resource, what);
        if (fromResource.isPresent()) {
            return fromResource;
        }
        return resourceData == null ? Optional.empty() : locate(resourceData.odataId(), what);
    }

    private static Optional<String> locate(String path, String what) {
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = CHAT_MESSAGE.matcher(path);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String value = matcher.group(what + "Quoted");
        if (value == null) {
            value = matcher.group(what + "Path");
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    // clientState is a shared secret and encryptedContent is bulky: neither belongs in a log line.
    @Override
    public String toString() {
        return "ChangeNotification[subscriptionId=" + subscriptionId
                + ", changeType=" + changeType
                + ", resource=" + resource
                + ", resourceData=" + resourceData
                + ", subscriptionExpirationDateTime=" + subscriptionExpirationDateTime
                + ", tenantId=" + tenantId
                + ", lifecycleEvent=" + lifecycleEvent
                + ", hasResourceData=" + hasResourceData() + "]";
    }
}
