package com.teamsemergency.connector;

/** The connector's version, from the jar's manifest when packaged. */
final class Version {

    private static final String DEVELOPMENT = "0.1.0-SNAPSHOT";

    private Version() {
    }

    static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }
}
