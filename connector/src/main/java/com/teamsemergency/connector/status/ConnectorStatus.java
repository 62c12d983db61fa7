package com.teamsemergency.connector.status;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.teamsemergency.connector.auth.SignInPrompt;

/**
 * What a person running the connector needs to know about one service user, kept current by the task and
 * published as JSON to the status topic on every change.
 */
public final class ConnectorStatus {

    /** The sign-in state of the service user. */
    public enum SignIn { SIGNED_OUT, SIGN_IN_PENDING, SIGNED_IN }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String serviceUser;
    private SignIn signIn = SignIn.SIGNED_OUT;
    private String account;
    private SignInPrompt prompt;
    private String promptReason;
    private String subscriptionId;
    private Instant subscriptionExpiresAt;
    private Instant lastRenewal;
    private String lastError;
    private Instant lastErrorAt;
    private long reconciliationRuns;
    private long reconciledMessages;
    private long fetchedMessages;
    private Instant lastReconciliation;
    private int lastReconciliationMessages;
    private String event = "starting";

    public ConnectorStatus(String serviceUser) {
        this.serviceUser = serviceUser;
    }

    public synchronized void signInPending(SignInPrompt value, String reason) {
        signIn = SignIn.SIGN_IN_PENDING;
        prompt = value;
        promptReason = reason;
        event = "sign-in-prompt";
    }

    public synchronized void signedIn(String accountName) {
        signIn = SignIn.SIGNED_IN;
        account = accountName;
        prompt = null;
        promptReason = null;
        event = "signed-in";
    }

    public synchronized void signedOut(String reason) {
        signIn = SignIn.SIGNED_OUT;
        prompt = null;
        promptReason = reason;
        event = "signed-out";
    }

    public synchronized void subscription(String id, Instant expiresAt, String what) {
        subscriptionId = id;
        subscriptionExpiresAt = expiresAt;
        if (!"unchanged".equals(what)) {
            lastRenewal = Instant.now();
        }
        event = "subscription-" + what;
    }

    public synchronized void error(String message) {
        lastError = message;
        lastErrorAt = Instant.now();
        event = "error";
    }

    public synchronized void reconciled(int messages) {
        reconciliationRuns++;
        reconciledMessages += messages;
        lastReconciliation = Instant.now();
        lastReconciliationMessages = messages;
        event = "reconciled";
    }

    public synchronized void fetched() {
        fetchedMessages++;
        event = "message-fetched";
    }

    public synchronized void event(String name) {
        event = name;
    }

    public synchronized SignIn signIn() {
        return signIn;
    }

    public String serviceUser() {
        return serviceUser;
    }

    public synchronized String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("serviceUser", serviceUser);
        root.put("event", event);
        root.put("at", Instant.now().toString());
        root.put("signIn", signIn.name());
        root.put("account", account);
        if (prompt != null) {
            ObjectNode p = root.putObject("prompt");
            p.put("verificationUri", prompt.verificationUri());
            p.put("userCode", prompt.userCode());
            p.put("expiresAt", prompt.expiresAt().toString());
            p.put("message", prompt.message());
        }
        root.put("signInReason", promptReason);
        ObjectNode s = root.putObject("subscription");
        s.put("id", subscriptionId);
        s.put("expiresAt", text(subscriptionExpiresAt));
        s.put("lastRenewal", text(lastRenewal));
        ObjectNode r = root.putObject("reconciliation");
        r.put("runs", reconciliationRuns);
        r.put("messages", reconciledMessages);
        r.put("lastRun", text(lastReconciliation));
        r.put("lastRunMessages", lastReconciliationMessages);
        root.put("fetchedMessages", fetchedMessages);
        ObjectNode e = root.putObject("lastError");
        e.put("message", lastError);
        e.put("at", text(lastErrorAt));
        return root.toString();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
