package com.teamsemergency.connector.auth;

import java.time.Instant;

/** What a person needs to complete a device code sign-in: where to go, the code to type, and until when. */
public record SignInPrompt(String verificationUri, String userCode, Instant expiresAt, String message) {
}
