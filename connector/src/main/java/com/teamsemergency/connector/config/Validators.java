package com.teamsemergency.connector.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The validators of the connector's configuration keys that Kafka's {@link ConfigDef} does not provide. */
final class Validators {

    private Validators() {
    }

    static ConfigDef.Validator httpsUrl() {
        return described("an https URL with a host", (name, value) -> {
            URI uri = parse(name, (String) value);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be an https URL with a host");
            }
        });
    }

    static ConfigDef.Validator eventHubUrl() {
        return described("EventHub:https://... or https://...", (name, value) -> {
            String text = (String) value;
            String target = text.regionMatches(true, 0, "EventHub:", 0, 9) ? text.substring(9) : text;
            URI uri = parse(name, target);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be EventHub:https://<namespace>.servicebus.windows.net/"
                        + "eventhubname/<hub>?tenantId=<domain> or an https webhook URL");
            }
        });
    }

    static ConfigDef.Validator resourcePath() {
        return described("a Graph resource path starting with /", (name, value) -> {
            String text = (String) value;
            if (text == null || !text.startsWith("/") || text.contains("?") || text.isBlank()) {
                throw new ConfigException(name, value,
                        "must be a Graph resource path such as /me/chats/getAllMessages");
            }
        });
    }

    static ConfigDef.Validator secret(int min, int max) {
        return described("a secret of " + min + " to " + max + " characters", (name, value) -> {
            Password password = (Password) value;
            int length = password == null || password.value() == null ? 0 : password.value().length();
            if (length < min || length > max) {
                // The value itself stays out of the message: it is a secret.
                throw new ConfigException(name + " must have " + min + " to " + max + " characters, has " + length);
            }
        });
    }

    static ConfigDef.Validator maxLength(int max) {
        return described("at most " + max + " characters", (name, value) -> {
            if (value != null && ((String) value).length() > max) {
                throw new ConfigException(name, value, "must have at most " + max + " characters");
            }
        });
    }

    static ConfigDef.Validator nonEmptyNames() {
        return described("a non-empty list of distinct names without '/'", (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            if (names == null || names.isEmpty()) {
                throw new ConfigException(name, value, "must name at least one service user");
            }
            if (names.stream().anyMatch(n -> n.isBlank() || n.contains("/"))) {
                throw new ConfigException(name, value, "names must be non-blank and contain no '/'");
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new ConfigException(name, value, "names must be distinct");
            }
        });
    }

    static ConfigDef.Validator optional(ConfigDef.Validator inner) {
        return described("empty, or " + inner, (name, value) -> {
            if (value != null && !((String) value).isEmpty()) {
                inner.ensureValid(name, value);
            }
        });
    }

    private static URI parse(String name, String value) {
        try {
            return new URI(value == null ? "" : value.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(name, value, "is not a URL: " + e.getReason());
        }
    }

    private static ConfigDef.Validator described(String description, ConfigDef.Validator check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.ensureValid(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
