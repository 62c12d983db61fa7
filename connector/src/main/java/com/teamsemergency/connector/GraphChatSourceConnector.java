package com.teamsemergency.connector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.connector.config.ConnectorConfig;
import com.teamsemergency.connector.config.TaskConfig;
import com.teamsemergency.connector.graph.TrustedTls;
import com.teamsemergency.connector.subscription.NotificationCertificate;

/**
 * Kafka Connect source connector that keeps a Microsoft Graph subscription on Teams chat messages alive for each
 * configured service user and emits the messages Graph's notifications may have missed, one task per user.
 */
public class GraphChatSourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(GraphChatSourceConnector.class);
    private static final int REACHABILITY_TIMEOUT_MS = 3_000;

    private Map<String, String> props;
    private ConnectorConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new ConnectorConfig(props);
        log.info("Starting Graph chat connector for service users {} against {}", config.serviceUsers(),
                config.graphBaseUrl());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return GraphChatSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> users = config.serviceUsers();
        if (users.size() > maxTasks) {
            throw new ConnectException("service.users names " + users.size() + " users but tasks.max is " + maxTasks
                    + "; set tasks.max to at least " + users.size());
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (String user : users) {
            Map<String, String> task = new HashMap<>(props);
            task.put(TaskConfig.TASK_SERVICE_USER, user);
            task.put(TaskConfig.TASK_CONNECTOR_NAME, props.getOrDefault("name", ""));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        log.info("Stopping Graph chat connector");
    }

    @Override
    public ConfigDef config() {
        return ConnectorConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Graph is read again on every reconciliation; records are deduplicated downstream instead.
        return ExactlyOnceSupport.UNSUPPORTED;
    }

    /** The single-field checks of the ConfigDef, then what needs several fields or the network. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        boolean singleFieldsValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!singleFieldsValid) {
            return result;
        }
        ConnectorConfig parsed = new ConnectorConfig(connectorConfigs);

        String tasksMax = connectorConfigs.get("tasks.max");
        if (tasksMax != null) {
            try {
                if (Integer.parseInt(tasksMax.trim()) < parsed.serviceUsers().size()) {
                    error(values, ConnectorConfig.SERVICE_USERS, "needs tasks.max of at least "
                            + parsed.serviceUsers().size() + " (one task per service user), tasks.max is " + tasksMax);
                }
            } catch (NumberFormatException ignored) {
                // The worker reports a malformed tasks.max itself.
            }
        }
        if (parsed.includeResourceData()) {
            if (parsed.encryptionCertificateId().isBlank()) {
                error(values, ConnectorConfig.SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID,
                        "is required when subscription.include.resource.data is true");
            }
            try {
                NotificationCertificate.load(parsed.encryptionCertificate());
            } catch (IllegalArgumentException e) {
                error(values, ConnectorConfig.SUBSCRIPTION_ENCRYPTION_CERTIFICATE, e.getMessage()
                        + " (required when subscription.include.resource.data is true)");
            }
        }
        if (parsed.renewalInterval().toMinutes() >= parsed.lifetimeMinutes()) {
            error(values, ConnectorConfig.SUBSCRIPTION_RENEWAL_INTERVAL_MS, "must be shorter than "
                    + "subscription.lifetime.minutes (" + parsed.lifetimeMinutes() + " min), or the subscription "
                    + "expires between renewals");
        }
        boolean trustUsable = true;
        try {
            TrustedTls.context(parsed);
        } catch (ConfigException e) {
            trustUsable = false;
            error(values, ConnectorConfig.HTTPS_TRUSTSTORE_PATH, e.getMessage());
        }
        if (trustUsable) {
            reachable(parsed.authority()).ifPresent(problem ->
                    error(values, ConnectorConfig.ENTRA_AUTHORITY_HOST, problem));
            reachable(parsed.graphBaseUrl()).ifPresent(problem ->
                    error(values, ConnectorConfig.GRAPH_BASE_URL, problem));
        }
        return result;
    }

    /** A TCP connection within a few seconds; TLS and HTTP are left to the task, which reports them in status. */
    private static Optional<String> reachable(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), REACHABILITY_TIMEOUT_MS);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be reached from this worker (" + uri.getHost() + ":" + port + ": "
                    + e.getMessage() + "); check the address, DNS and any proxy or firewall");
        }
    }

    private static void error(Map<String, ConfigValue> values, String key, String message) {
        ConfigValue value = values.get(key);
        if (value != null) {
            value.addErrorMessage(key + " " + message);
        }
    }
}
