package com.teamsemergency.sandbox.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.tls.SelfSignedCertificate;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * The Streams application's settings in the sandbox: it reads the hub through the Event-Hubs-style SASL_SSL listener
 * exactly as it would read Azure, with a notification key made for the occasion. The settings are a properties
 * file too, so that the application can also run as a process of its own.
 */
public final class StreamsSandbox {

    public static final String CERTIFICATE_ID = "sandbox-notifications-2026";
    public static final String TENANT_ID = "5f1d7c2a-0b4e-4c1f-9a1e-3d2b6c7e8f90";

    private final SelfSignedCertificate notificationKey;
    private final String certificateId;
    private final String clientState;
    private final String tenantId;
    private final Properties properties;
    private final Path propertiesFile;

    private StreamsSandbox(SelfSignedCertificate notificationKey, String certificateId, String clientState,
                           String tenantId, Properties properties, Path propertiesFile) {
        this.notificationKey = notificationKey;
        this.certificateId = certificateId;
        this.clientState = clientState;
        this.tenantId = tenantId;
        this.properties = properties;
        this.propertiesFile = propertiesFile;
    }

    /**
     * Settings for one application id; {@code overrides} come last (e.g. {@code kafka.commit.interval.ms}).
     * The notification key and client state are made anew unless {@code shared} is given.
     */
    public static StreamsSandbox create(EmbeddedKafka kafka, Path workDir, String applicationId,
                                        Map<String, String> overrides, StreamsSandbox shared) {
        try {
            Files.createDirectories(workDir);
            SelfSignedCertificate key = shared != null ? shared.notificationKey
                    : SelfSignedCertificate.createNotificationKey(workDir, CERTIFICATE_ID, randomSecret(16));
            String clientState = shared != null ? shared.clientState : new String(randomSecret(24));
            return create(kafka, workDir, applicationId, overrides, key, CERTIFICATE_ID, clientState, TENANT_ID);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Streams application's settings in " + workDir, e);
        }
    }

    /**
     * Settings for decrypting what a given subscription sends: its key (alias = certificate id), client state and
     * tenant, as the Graph emulator's subscription has them.
     */
    public static StreamsSandbox create(EmbeddedKafka kafka, Path workDir, String applicationId,
                                        Map<String, String> overrides, SelfSignedCertificate key, String certificateId,
                                        String clientState, String tenantId) {
        try {
            Files.createDirectories(workDir);

            Properties properties = new Properties();
            kafka.eventHubClientProperties().forEach((k, v) -> properties.put(AlertsConfig.KAFKA_PREFIX + k, v));
            properties.put("kafka.application.id", applicationId);
            properties.put("kafka.state.dir", Files.createDirectories(workDir.resolve("state-" + applicationId))
                    .toString());
            properties.put("kafka.replication.factor", "1");
            // One instance by default: a standby would have nowhere to go, and Streams would warn so at every start.
            properties.put("kafka.num.standby.replicas", "0");
            properties.put(AlertsConfig.CLIENT_STATE, clientState);
            properties.put(AlertsConfig.TENANT_ID, tenantId);
            properties.put(AlertsConfig.KEYSTORE_PATH, key.keystore().toString());
            properties.put(AlertsConfig.KEYSTORE_PASSWORD, new String(key.password()));
            properties.putAll(overrides);

            // The sandbox's secrets are made for one run, but they are secrets: the file is its owner's alone
            // from the start, and whoever made the work folder deletes it (the demo does, at exit).
            Path file = workDir.resolve(applicationId + ".properties");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(file)) {
                properties.store(out, "Streams application settings made by the sandbox");
            }
            return new StreamsSandbox(key, certificateId, clientState, tenantId, properties, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Streams application's settings in " + workDir, e);
        }
    }

    public AlertsConfig config() {
        return AlertsConfig.fromProperties(properties, Map.of(), propertiesFile.getParent());
    }

    /** The settings as a file, for {@code emergency-alerts run --config}; readable by its owner only. */
    public Path propertiesFile() {
        return propertiesFile;
    }

    public SelfSignedCertificate notificationKey() {
        return notificationKey;
    }

    public String clientState() {
        return clientState;
    }

    public String certificateId() {
        return certificateId;
    }

    public String tenantId() {
        return tenantId;
    }

    private static char[] randomSecret(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        char[] secret = new char[length];
        for (int i = 0; i < length; i++) {
            secret[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return secret;
    }
}
