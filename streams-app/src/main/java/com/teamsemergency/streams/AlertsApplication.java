package com.teamsemergency.streams;

import java.net.URI;
import java.nio.file.Path;

import org.apache.kafka.streams.Topology;

import com.teamsemergency.common.crypto.NotificationDecryptor;
import com.teamsemergency.common.crypto.NotificationKeyRing;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.streams.config.AlertsConfig;
import com.teamsemergency.streams.topology.AlertTopology;
import com.teamsemergency.streams.topology.ProcessingCounters;

/** Builds the topology from the application's configuration: the one place that turns settings into parts. */
public final class AlertsApplication {

    private final AlertsConfig config;
    private final AlertTopology.Settings settings;
    private final NotificationKeyRing keys;
    private final ProcessingCounters counters = new ProcessingCounters();

    public AlertsApplication(AlertsConfig config) {
        this.config = config;
        this.settings = settingsOf(config);
        this.keys = loadKeys(config);
    }

    public Topology topology() {
        return AlertTopology.build(settings, new NotificationDecryptor(keys), counters);
    }

    public AlertsConfig config() {
        return config;
    }

    public AlertTopology.Settings settings() {
        return settings;
    }

    public NotificationKeyRing keys() {
        return keys;
    }

    public ProcessingCounters counters() {
        return counters;
    }

    static AlertTopology.Settings settingsOf(AlertsConfig config) {
        AlertsConfig.Windows windows = config.windows();
        return new AlertTopology.Settings(
                config.get(AlertsConfig.TOPIC_NOTIFICATIONS),
                config.get(AlertsConfig.TOPIC_CHAT_MESSAGES),
                config.get(AlertsConfig.TOPIC_USER_LOCATIONS),
                config.get(AlertsConfig.TOPIC_ALERTS),
                config.get(AlertsConfig.TOPIC_DEAD_LETTERS),
                config.get(AlertsConfig.TOPIC_GRAPH_CONTROL),
                config.get(AlertsConfig.CLIENT_STATE),
                config.find(AlertsConfig.TENANT_ID).orElse(null),
                windows.dedupHorizon(),
                windows.incidentWindow(),
                URI.create(config.get(AlertsConfig.ALERT_SOURCE)),
                EmergencyRules.fromProperties(config.rules()));
    }

    private static NotificationKeyRing loadKeys(AlertsConfig config) {
        Path keystore = config.path(AlertsConfig.KEYSTORE_PATH);
        NotificationKeyRing keys;
        try {
            keys = NotificationKeyRing.fromPkcs12(keystore, config.get(AlertsConfig.KEYSTORE_PASSWORD).toCharArray());
        } catch (IllegalArgumentException e) {
            throw new AlertsConfig.ConfigException(AlertsConfig.KEYSTORE_PATH + ": " + e.getMessage());
        }
        return keys;
    }
}
