package com.teamsemergency.connector.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the JSON the Streams application writes to the control topic: a Graph changeNotification (or a
 * collection of them) turned into {@link ControlAction}s. */
public final class ControlRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ODATA_RESOURCE = Pattern.compile("chats\\('([^']+)'\\)/messages\\('([^']+)'\\)");
    private static final Pattern PATH_RESOURCE = Pattern.compile("chats/([^/]+)/messages/([^/?]+)");

    private ControlRecords() {
    }

    /** The actions in one record value; unknown or unreadable content gives none. */
    public static List<ControlAction> parse(String value) {
        List<ControlAction> actions = new ArrayList<>();
        if (value == null) {
            return actions;
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            return actions;
        }
        if (root == null) {
            return actions;
        }
        if (root.has("value") && root.get("value").isArray()) {
            root.get("value").forEach(n -> action(n, actions));
        } else {
            action(root, actions);
        }
        return actions;
    }

    private static void action(JsonNode notification, List<ControlAction> actions) {
        String subscriptionId = notification.path("subscriptionId").asText(null);
        String lifecycle = notification.path("lifecycleEvent").asText(null);
        if (lifecycle != null) {
            switch (lifecycle) {
                case "reauthorizationRequired" -> actions.add(new ControlAction.Reauthorize(subscriptionId));
                case "subscriptionRemoved" -> actions.add(new ControlAction.Recreate(subscriptionId));
                case "missed" -> actions.add(new ControlAction.Reconcile(subscriptionId));
                default -> { }
            }
            return;
        }
        if (notification.has("encryptedContent")) {
            return;
        }
        String resource = notification.path("resourceData").path("@odata.id").asText(null);
        if (resource == null) {
            resource = notification.path("resource").asText(null);
        }
        if (resource == null) {
            return;
        }
        Matcher m = ODATA_RESOURCE.matcher(resource);
        if (!m.find()) {
            m = PATH_RESOURCE.matcher(resource);
            if (!m.find()) {
                return;
            }
        }
        actions.add(new ControlAction.Fetch(subscriptionId, m.group(1), m.group(2)));
    }
}
