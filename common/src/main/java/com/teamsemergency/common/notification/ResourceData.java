package com.teamsemergency.common.notification;

/**
 * The {@code resourceData} part of a change notification: which Graph resource changed.
 */
public record ResourceData(String id, String odataType, String odataId) {
}
