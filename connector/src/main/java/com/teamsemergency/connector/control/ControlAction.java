package com.teamsemergency.connector.control;

/** What a record on the control topic asks the task to do. */
public sealed interface ControlAction {

    String subscriptionId();

    /** Graph asks for a fresh token on the subscription (lifecycle event reauthorizationRequired). */
    record Reauthorize(String subscriptionId) implements ControlAction {
    }

    /** Graph removed the subscription (subscriptionRemoved): create a new one, then reconcile. */
    record Recreate(String subscriptionId) implements ControlAction {
    }

    /** Notifications may have been lost (missed): reconcile now. */
    record Reconcile(String subscriptionId) implements ControlAction {
    }

    /** A notification came without resource data: fetch the message it names. */
    record Fetch(String subscriptionId, String chatId, String messageId) implements ControlAction {
    }
}
