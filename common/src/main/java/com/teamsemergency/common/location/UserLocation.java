package com.teamsemergency.common.location;

/**
 * Where a user normally is, as the security desk maintains it, to complete or check the location Teams reports.
 */
public record UserLocation(String userId, String displayName, String building, String floor, String room,
                           String address, String city, String country, String notes) {
}
