package com.teamsemergency.common.deadletter;

import java.util.Locale;

/**
 * Why a record could not become an alert, each with a stable code and a sentence an operator can act on.
 */
public enum DeadLetterReason {
    EMPTY_RECORD("The record has no value. Check what else writes into the input topic; Graph never sends an "
            + "empty event."),
    NOT_JSON("The record is not a JSON document. Check what else writes into the input topic or Event Hub; Graph "
            + "writes JSON change-notification collections only."),
    NOT_A_COLLECTION("The record is JSON but not a change-notification collection ({\"value\": [...]}). Check that "
            + "only Graph subscriptions deliver into this Event Hub."),
    MALFORMED_NOTIFICATION("An item of the collection is not a well-formed change notification. Compare the record "
            + "with Graph's changeNotification resource; report it if Graph changed the format."),
    CLIENT_STATE_MISMATCH("The notification's clientState is not ours. Either someone else can send to the Event "
            + "Hub (review its access policies) or the subscription was created with another client state (renew "
            + "it with the configured one)."),
    TENANT_MISMATCH("The notification comes from a tenant other than the configured one. Check the subscription's "
            + "tenant and the configured tenant id."),
    UNKNOWN_CERTIFICATE("The notification was encrypted for a certificate whose private key is not in the "
            + "keystore. Add the private key of the named encryptionCertificateId (alias = certificate id) to the "
            + "notification keystore, and keep old keys until no notification names them."),
    BAD_SIGNATURE("The HMAC signature of the encrypted content does not match: the content was altered or not "
            + "produced by Graph. Review who can send to the Event Hub."),
    UNDECRYPTABLE("The encrypted content could not be decrypted (bad base64, wrong key size or padding). Check "
            + "that the keystore's key for this certificate id is the one the subscription was created with."),
    MALFORMED_MESSAGE("The decrypted or fetched chat message is not a valid chatMessage document. Report it with "
            + "the message id; Graph may have changed the format."),
    RECORD_TOO_LARGE("A record made from this input would pass the 1 MB that producers and Event Hubs accept, so it "
            + "was left out. Check what writes such large records into the input topic."),
    INTERNAL_ERROR("Processing this record failed in a way the application does not expect (a bug, or a record "
            + "written by another version). The stream went on; report it with the detail and the source offset."),
    UNREADABLE_LOCATION("A record in the user-location topic is not a user location; the caller's previous "
            + "location, if any, is kept. Re-import the row with `emergency-alerts locations import`.");

    private final String description;

    DeadLetterReason(String description) {
        this.description = description;
    }

    /** The stable kebab-case code, e.g. {@code client-state-mismatch}, for headers and metrics. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A sentence saying what happened and what a person can do about it. */
    public String description() {
        return description;
    }
}
