package com.teamsemergency.connector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(ConnectorConfig.ENTRA_TENANT_ID, "contoso.onmicrosoft.com");
        props.put(ConnectorConfig.ENTRA_CLIENT_ID, "00000000-0000-0000-0000-000000000001");
        props.put(ConnectorConfig.TOKEN_CACHE_ENCRYPTION_KEY, "a-long-enough-secret");
        props.put(ConnectorConfig.SUBSCRIPTION_NOTIFICATION_URL,
                "EventHub:https://ns.servicebus.windows.net/eventhubname/graph?tenantId=contoso.onmicrosoft.com");
        props.put(ConnectorConfig.SUBSCRIPTION_CLIENT_STATE, "client-state-123");
        return props;
    }

    @Test
    void everyKeyHasDocumentationAndAGroup() {
        for (ConfigDef def : List.of(ConnectorConfig.CONFIG_DEF, TaskConfig.CONFIG_DEF)) {
            List<String> undocumented = def.configKeys().values().stream()
                    .filter(key -> key.documentation == null || key.documentation.isBlank())
                    .map(key -> key.name).collect(Collectors.toList());
            assertEquals(List.of(), undocumented, "keys without documentation");
        }
        List<String> ungrouped = ConnectorConfig.CONFIG_DEF.configKeys().values().stream()
                .filter(key -> key.group == null).map(key -> key.name).collect(Collectors.toList());
        assertEquals(List.of(), ungrouped, "keys without a group");
    }

    @Test
    void readmeDocumentsEveryKey() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = ConnectorConfig.CONFIG_DEF.names().stream()
                .filter(name -> !readme.contains("| `" + name + "` |")).sorted().collect(Collectors.toList());
        assertEquals(List.of(), missing, "keys missing from README.md's reference; paste markdownTable() there");
    }

    @Test
    void secretsArePasswords() {
        for (String key : List.of(ConnectorConfig.TOKEN_CACHE_ENCRYPTION_KEY, ConnectorConfig.SUBSCRIPTION_CLIENT_STATE,
                ConnectorConfig.HTTPS_TRUSTSTORE_PASSWORD)) {
            assertEquals(ConfigDef.Type.PASSWORD, ConnectorConfig.CONFIG_DEF.configKeys().get(key).type, key);
        }
    }

    @Test
    void defaultsPointAtMicrosoft() {
        ConnectorConfig config = new ConnectorConfig(minimal());
        assertEquals("https://login.microsoftonline.com/contoso.onmicrosoft.com/", config.authority());
        assertEquals("https://graph.microsoft.com/v1.0", config.graphBaseUrl());
        assertEquals("/me/chats/getAllMessages", config.subscriptionResource());
        assertEquals("created,updated", config.changeTypes());
        assertEquals(4320, config.lifetimeMinutes());
        assertEquals(48, config.renewalInterval().toHours());
        assertEquals(config.notificationUrl(), config.lifecycleNotificationUrl());
        assertFalse(config.controlEnabled());
    }

    @Test
    void controlSettingsLoseTheirPrefix() {
        Map<String, String> props = minimal();
        props.put("control.bootstrap.servers", "127.0.0.1:9092");
        props.put("control.security.protocol", "SSL");
        ConnectorConfig config = new ConnectorConfig(props);
        assertTrue(config.controlEnabled());
        assertEquals("SSL", config.controlConsumerSettings().get("security.protocol"));
        assertEquals("127.0.0.1:9092", config.controlConsumerSettings().get("bootstrap.servers"));
    }

    @Test
    void rejectsPlainHttpAuthority() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.ENTRA_AUTHORITY_HOST, "http://login.example");
        assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
    }

    @Test
    void rejectsShortTokenCacheKeyWithoutEchoingIt() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.TOKEN_CACHE_ENCRYPTION_KEY, "short-secret");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
        assertFalse(e.getMessage().contains("short-secret"));
    }

    @Test
    void rejectsNotificationUrlThatIsNotHttps() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.SUBSCRIPTION_NOTIFICATION_URL, "EventHub:amqp://ns/hub");
        assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
    }

    @Test
    void rejectsUnknownChangeType() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.SUBSCRIPTION_CHANGE_TYPES, "created,exploded");
        assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
    }

    @Test
    void rejectsLifetimeBeyondThreeDays() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.SUBSCRIPTION_LIFETIME_MINUTES, "4321");
        assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
    }

    @Test
    void rejectsServiceUserNamesWithSlash() {
        Map<String, String> props = minimal();
        props.put(ConnectorConfig.SERVICE_USERS, "desk/one");
        assertThrows(ConfigException.class, () -> new ConnectorConfig(props));
    }

    @Test
    void taskConfigNeedsItsServiceUser() {
        assertThrows(ConfigException.class, () -> new TaskConfig(minimal()));
        Map<String, String> props = minimal();
        props.put(TaskConfig.TASK_SERVICE_USER, "security-desk");
        assertEquals("security-desk", new TaskConfig(props).serviceUser());
    }
}
