package com.teamsemergency.common.message;

/**
 * Who posted a chat message: the Entra user (or application) id and the display name Teams showed.
 */
public record Sender(String userId, String displayName) {
}
