package com.teamsemergency.connector.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector-level configuration of the Graph chat source connector: every key, its default, validator and doc.
 */
public class ConnectorConfig extends AbstractConfig {

    public static final String GROUP_ENTRA = "Sign-in (Entra ID)";
    public static final String GROUP_GRAPH = "Microsoft Graph";
    public static final String GROUP_SUBSCRIPTION = "Subscription";
    public static final String GROUP_RECONCILIATION = "Reconciliation";
    public static final String GROUP_TOPICS = "Topics";
    public static final String GROUP_CONTROL = "Control topic consumer";

    public static final String SERVICE_USERS = "service.users";
    static final String SERVICE_USERS_DOC = "Names of the service users whose chats are watched, one task each. The "
            + "name is a label: it keys the status records and the task's stored tokens; the Microsoft account is "
            + "whoever completes the device code sign-in for that task.";
    static final String SERVICE_USERS_DEFAULT = "security-desk";

    public static final String ENTRA_AUTHORITY_HOST = "entra.authority.host";
    static final String ENTRA_AUTHORITY_HOST_DOC = "Base address of the Entra ID authority, https only. Change it "
            + "for a national cloud or an emulator.";
    public static final String ENTRA_AUTHORITY_HOST_DEFAULT = "https://login.microsoftonline.com";

    public static final String ENTRA_TENANT_ID = "entra.tenant.id";
    static final String ENTRA_TENANT_ID_DOC = "Directory (tenant) id or verified domain of the service user's "
            + "tenant; it becomes the authority's path segment.";

    public static final String ENTRA_CLIENT_ID = "entra.client.id";
    static final String ENTRA_CLIENT_ID_DOC = "Application (client) id of the app registration, a public client "
            + "with 'Allow public client flows' enabled and the delegated permissions User.Read, Chat.Read, "
            + "Chat.ReadBasic and ChatMessage.Read.";

    public static final String TOKEN_CACHE_ENCRYPTION_KEY = "token.cache.encryption.key";
    static final String TOKEN_CACHE_ENCRYPTION_KEY_DOC = "Secret from which the AES-256-GCM key that encrypts the "
            + "stored token cache is derived (at least 16 characters). Changing it forces a new sign-in. Use a "
            + "config provider, e.g. ${file:/etc/secrets/connector.properties:token.key}.";

    public static final String SIGN_IN_RETRY_BACKOFF_MS = "sign.in.retry.backoff.ms";
    static final String SIGN_IN_RETRY_BACKOFF_MS_DOC = "Pause before a new device code prompt after a prompt "
            + "expired, was declined or the identity provider could not be reached; keeps a refusing user or a "
            + "down authority from causing a tight loop.";
    static final long SIGN_IN_RETRY_BACKOFF_MS_DEFAULT = 10_000L;

    public static final String GRAPH_BASE_URL = "graph.base.url";
    static final String GRAPH_BASE_URL_DOC = "Base address of Microsoft Graph including the version segment.";
    public static final String GRAPH_BASE_URL_DEFAULT = "https://graph.microsoft.com/v1.0";

    public static final String GRAPH_REQUEST_TIMEOUT_MS = "graph.request.timeout.ms";
    static final String GRAPH_REQUEST_TIMEOUT_MS_DOC = "Timeout of one HTTP request to Graph or Entra ID.";
    static final long GRAPH_REQUEST_TIMEOUT_MS_DEFAULT = 30_000L;

    public static final String GRAPH_RETRY_MAX_ATTEMPTS = "graph.retry.max.attempts";
    static final String GRAPH_RETRY_MAX_ATTEMPTS_DOC = "Attempts of one Graph request answered with 429, 5xx or "
            + "a network error, honouring Retry-After, before the step is postponed and reported as the last error.";
    static final int GRAPH_RETRY_MAX_ATTEMPTS_DEFAULT = 4;

    public static final String HTTPS_TRUSTSTORE_PATH = "https.truststore.path";
    static final String HTTPS_TRUSTSTORE_PATH_DOC = "Trust store used for Entra ID and Graph instead of the JVM's "
            + "default, for a private certificate authority (a proxy or an emulator). Empty: the JVM default.";

    public static final String HTTPS_TRUSTSTORE_PASSWORD = "https.truststore.password";
    static final String HTTPS_TRUSTSTORE_PASSWORD_DOC = "Password of the trust store, if it has one.";

    public static final String HTTPS_TRUSTSTORE_TYPE = "https.truststore.type";
    static final String HTTPS_TRUSTSTORE_TYPE_DOC = "Type of the trust store.";

    public static final String SUBSCRIPTION_RESOURCE = "subscription.resource";
    static final String SUBSCRIPTION_RESOURCE_DOC = "Graph resource to subscribe to. Under delegated permissions: "
            + "/me/chats/getAllMessages, /users/{id}/chats/getAllMessages or /chats/{id}/messages.";
    static final String SUBSCRIPTION_RESOURCE_DEFAULT = "/me/chats/getAllMessages";

    public static final String SUBSCRIPTION_CHANGE_TYPES = "subscription.change.types";
    static final String SUBSCRIPTION_CHANGE_TYPES_DOC = "Change types to subscribe to.";
    static final String SUBSCRIPTION_CHANGE_TYPES_DEFAULT = "created,updated";

    public static final String SUBSCRIPTION_NOTIFICATION_URL = "subscription.notification.url";
    static final String SUBSCRIPTION_NOTIFICATION_URL_DOC = "Where Graph delivers notifications: "
            + "EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<domain> or the "
            + "Key Vault form EventHub:https://<vault>.vault.azure.net/secrets/<name>?tenantId=<domain>.";

    public static final String SUBSCRIPTION_LIFECYCLE_NOTIFICATION_URL = "subscription.lifecycle.notification.url";
    static final String SUBSCRIPTION_LIFECYCLE_NOTIFICATION_URL_DOC = "Where Graph delivers lifecycle "
            + "notifications; required by Graph above one hour of lifetime and settable only at creation. Empty: "
            + "the notification URL.";

    public static final String SUBSCRIPTION_CLIENT_STATE = "subscription.client.state";
    static final String SUBSCRIPTION_CLIENT_STATE_DOC = "Secret Graph echoes in every notification, checked by "
            + "the Streams application (at most 128 characters).";

    public static final String SUBSCRIPTION_INCLUDE_RESOURCE_DATA = "subscription.include.resource.data";
    static final String SUBSCRIPTION_INCLUDE_RESOURCE_DATA_DOC = "Ask Graph for the message itself, encrypted to "
            + "the certificate below, so that the Streams application never has to call Graph.";

    public static final String SUBSCRIPTION_ENCRYPTION_CERTIFICATE = "subscription.encryption.certificate";
    static final String SUBSCRIPTION_ENCRYPTION_CERTIFICATE_DOC = "The notification encryption certificate "
            + "(public part only, RSA 2048-4096): a PEM file path, or the PEM text itself. Required with "
            + "resource data.";

    public static final String SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID = "subscription.encryption.certificate.id";
    static final String SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID_DOC = "Our id of that certificate (at most 128 "
            + "characters); the Streams application chooses the private key by it.";

    public static final String SUBSCRIPTION_LIFETIME_MINUTES = "subscription.lifetime.minutes";
    static final String SUBSCRIPTION_LIFETIME_MINUTES_DOC = "Lifetime asked for on creation and renewal. Graph "
            + "allows up to 4320 minutes for chat messages; on a 400 about the expiry the connector retries with "
            + "60 minutes.";
    static final int SUBSCRIPTION_LIFETIME_MINUTES_DEFAULT = 4320;

    public static final String SUBSCRIPTION_RENEWAL_INTERVAL_MS = "subscription.renewal.interval.ms";
    static final String SUBSCRIPTION_RENEWAL_INTERVAL_MS_DOC = "How often the subscription is renewed, whatever "
            + "lifecycle events do or do not arrive. Must be shorter than the lifetime; capped at half the "
            + "lifetime Graph actually granted.";
    static final long SUBSCRIPTION_RENEWAL_INTERVAL_MS_DEFAULT = Duration.ofHours(48).toMillis();

    public static final String RECONCILIATION_INTERVAL_MS = "reconciliation.interval.ms";
    static final String RECONCILIATION_INTERVAL_MS_DOC = "How often the service user's recently active chats are "
            + "read for messages newer than the watermark. Each run costs one request for the chat list plus one "
            + "per chat with new activity; Teams throttles at about 60 requests a minute per app and tenant.";
    static final long RECONCILIATION_INTERVAL_MS_DEFAULT = 60_000L;

    public static final String RECONCILIATION_MAX_CHATS = "reconciliation.max.chats";
    static final String RECONCILIATION_MAX_CHATS_DOC = "How many of the most recently active chats one run reads.";
    static final int RECONCILIATION_MAX_CHATS_DEFAULT = 20;

    public static final String RECONCILIATION_OVERLAP_MS = "reconciliation.overlap.ms";
    static final String RECONCILIATION_OVERLAP_MS_DOC = "How far before the watermark each run reads again, for "
            + "messages Graph makes visible late; the Streams application deduplicates the overlap.";
    static final long RECONCILIATION_OVERLAP_MS_DEFAULT = 120_000L;

    public static final String RECONCILIATION_INITIAL_LOOKBACK_MS = "reconciliation.initial.lookback.ms";
    static final String RECONCILIATION_INITIAL_LOOKBACK_MS_DOC = "How far back the very first run reads, when "
            + "there is no watermark yet.";
    static final long RECONCILIATION_INITIAL_LOOKBACK_MS_DEFAULT = Duration.ofMinutes(15).toMillis();

    public static final String TOPIC_CHAT_MESSAGES = "topic.chat.messages";
    static final String TOPIC_CHAT_MESSAGES_DOC = "Topic for reconciled and fetched chatMessage JSON, keyed "
            + "chatId/messageId.";
    static final String TOPIC_CHAT_MESSAGES_DEFAULT = "teams.chat-messages";

    public static final String TOPIC_STATUS = "topic.status";
    static final String TOPIC_STATUS_DOC = "Topic for status records keyed by service user: sign-in state and "
            + "prompt, subscription, last renewal, last error, reconciliation counts.";
    static final String TOPIC_STATUS_DEFAULT = "teams.connector-status";

    public static final String TOPIC_CONTROL = "topic.control";
    static final String TOPIC_CONTROL_DOC = "Topic the Streams application writes lifecycle notifications and "
            + "notifications without resource data to.";
    static final String TOPIC_CONTROL_DEFAULT = "teams.graph-control";

    public static final String CONTROL_PREFIX = "control.";
    public static final String CONTROL_BOOTSTRAP_SERVERS = CONTROL_PREFIX + "bootstrap.servers";
    static final String CONTROL_BOOTSTRAP_SERVERS_DOC = "Kafka cluster holding the control topic. Any other "
            + "consumer setting can be given with the 'control.' prefix (e.g. control.security.protocol). Empty: "
            + "the control topic is not read and only the timers renew and reconcile.";

    public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    public ConnectorConfig(Map<?, ?> originals) {
        this(CONFIG_DEF, originals);
    }

    protected ConnectorConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals, false);
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        def.define(SERVICE_USERS, Type.LIST, SERVICE_USERS_DEFAULT, Validators.nonEmptyNames(), Importance.HIGH,
                SERVICE_USERS_DOC, GROUP_ENTRA, ++order, Width.MEDIUM, "Service users");
        def.define(ENTRA_AUTHORITY_HOST, Type.STRING, ENTRA_AUTHORITY_HOST_DEFAULT, Validators.httpsUrl(),
                Importance.MEDIUM, ENTRA_AUTHORITY_HOST_DOC, GROUP_ENTRA, ++order, Width.LONG, "Authority");
        def.define(ENTRA_TENANT_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.HIGH, ENTRA_TENANT_ID_DOC, GROUP_ENTRA, ++order, Width.MEDIUM, "Tenant");
        def.define(ENTRA_CLIENT_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.HIGH, ENTRA_CLIENT_ID_DOC, GROUP_ENTRA, ++order, Width.MEDIUM, "Client id");
        def.define(TOKEN_CACHE_ENCRYPTION_KEY, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Validators.secret(16, 4096),
                Importance.HIGH, TOKEN_CACHE_ENCRYPTION_KEY_DOC, GROUP_ENTRA, ++order, Width.MEDIUM, "Cache key");
        def.define(SIGN_IN_RETRY_BACKOFF_MS, Type.LONG, SIGN_IN_RETRY_BACKOFF_MS_DEFAULT,
                ConfigDef.Range.between(100, 3_600_000),
                Importance.LOW, SIGN_IN_RETRY_BACKOFF_MS_DOC, GROUP_ENTRA, ++order, Width.SHORT, "Sign-in backoff");

        order = 0;
        def.define(GRAPH_BASE_URL, Type.STRING, GRAPH_BASE_URL_DEFAULT, Validators.httpsUrl(), Importance.MEDIUM,
                GRAPH_BASE_URL_DOC, GROUP_GRAPH, ++order, Width.LONG, "Graph address");
        def.define(GRAPH_REQUEST_TIMEOUT_MS, Type.LONG, GRAPH_REQUEST_TIMEOUT_MS_DEFAULT,
                ConfigDef.Range.between(1000, 300_000),
                Importance.LOW, GRAPH_REQUEST_TIMEOUT_MS_DOC, GROUP_GRAPH, ++order, Width.SHORT, "Request timeout");
        def.define(GRAPH_RETRY_MAX_ATTEMPTS, Type.INT, GRAPH_RETRY_MAX_ATTEMPTS_DEFAULT, ConfigDef.Range.between(1, 20),
                Importance.LOW, GRAPH_RETRY_MAX_ATTEMPTS_DOC, GROUP_GRAPH, ++order, Width.SHORT, "Attempts");
        def.define(HTTPS_TRUSTSTORE_PATH, Type.STRING, "", Importance.MEDIUM, HTTPS_TRUSTSTORE_PATH_DOC, GROUP_GRAPH,
                ++order, Width.LONG, "Trust store");
        def.define(HTTPS_TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, HTTPS_TRUSTSTORE_PASSWORD_DOC,
                GROUP_GRAPH, ++order, Width.MEDIUM, "Trust store password");
        def.define(HTTPS_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"),
                Importance.LOW, HTTPS_TRUSTSTORE_TYPE_DOC, GROUP_GRAPH, ++order, Width.SHORT, "Trust store type");

        order = 0;
        def.define(SUBSCRIPTION_RESOURCE, Type.STRING, SUBSCRIPTION_RESOURCE_DEFAULT, Validators.resourcePath(),
                Importance.MEDIUM, SUBSCRIPTION_RESOURCE_DOC, GROUP_SUBSCRIPTION, ++order, Width.LONG, "Resource");
        def.define(SUBSCRIPTION_CHANGE_TYPES, Type.LIST, SUBSCRIPTION_CHANGE_TYPES_DEFAULT,
                ConfigDef.ValidList.in("created", "updated", "deleted"), Importance.LOW,
                SUBSCRIPTION_CHANGE_TYPES_DOC, GROUP_SUBSCRIPTION, ++order, Width.SHORT, "Change types");
        def.define(SUBSCRIPTION_NOTIFICATION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Validators.eventHubUrl(),
                Importance.HIGH, SUBSCRIPTION_NOTIFICATION_URL_DOC, GROUP_SUBSCRIPTION, ++order, Width.LONG,
                "Notification URL");
        def.define(SUBSCRIPTION_LIFECYCLE_NOTIFICATION_URL, Type.STRING, "",
                Validators.optional(Validators.eventHubUrl()),
                Importance.MEDIUM, SUBSCRIPTION_LIFECYCLE_NOTIFICATION_URL_DOC, GROUP_SUBSCRIPTION, ++order,
                Width.LONG, "Lifecycle notification URL");
        def.define(SUBSCRIPTION_CLIENT_STATE, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Validators.secret(8, 128),
                Importance.HIGH, SUBSCRIPTION_CLIENT_STATE_DOC, GROUP_SUBSCRIPTION, ++order, Width.MEDIUM,
                "Client state");
        def.define(SUBSCRIPTION_INCLUDE_RESOURCE_DATA, Type.BOOLEAN, true, Importance.MEDIUM,
                SUBSCRIPTION_INCLUDE_RESOURCE_DATA_DOC, GROUP_SUBSCRIPTION, ++order, Width.SHORT, "Resource data");
        def.define(SUBSCRIPTION_ENCRYPTION_CERTIFICATE, Type.STRING, "", Importance.HIGH,
                SUBSCRIPTION_ENCRYPTION_CERTIFICATE_DOC, GROUP_SUBSCRIPTION, ++order, Width.LONG, "Certificate");
        def.define(SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID, Type.STRING, "", Validators.maxLength(128),
                Importance.HIGH, SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID_DOC, GROUP_SUBSCRIPTION, ++order,
                Width.MEDIUM, "Certificate id");
        def.define(SUBSCRIPTION_LIFETIME_MINUTES, Type.INT, SUBSCRIPTION_LIFETIME_MINUTES_DEFAULT,
                ConfigDef.Range.between(5, 4320), Importance.LOW, SUBSCRIPTION_LIFETIME_MINUTES_DOC,
                GROUP_SUBSCRIPTION, ++order, Width.SHORT, "Lifetime");
        def.define(SUBSCRIPTION_RENEWAL_INTERVAL_MS, Type.LONG, SUBSCRIPTION_RENEWAL_INTERVAL_MS_DEFAULT,
                ConfigDef.Range.atLeast(1000), Importance.LOW, SUBSCRIPTION_RENEWAL_INTERVAL_MS_DOC,
                GROUP_SUBSCRIPTION, ++order, Width.SHORT, "Renewal interval");

        order = 0;
        def.define(RECONCILIATION_INTERVAL_MS, Type.LONG, RECONCILIATION_INTERVAL_MS_DEFAULT,
                ConfigDef.Range.atLeast(1000), Importance.MEDIUM, RECONCILIATION_INTERVAL_MS_DOC,
                GROUP_RECONCILIATION, ++order, Width.SHORT, "Interval");
        def.define(RECONCILIATION_MAX_CHATS, Type.INT, RECONCILIATION_MAX_CHATS_DEFAULT, ConfigDef.Range.between(1, 50),
                Importance.LOW, RECONCILIATION_MAX_CHATS_DOC, GROUP_RECONCILIATION, ++order, Width.SHORT, "Chats");
        def.define(RECONCILIATION_OVERLAP_MS, Type.LONG, RECONCILIATION_OVERLAP_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                Importance.LOW, RECONCILIATION_OVERLAP_MS_DOC, GROUP_RECONCILIATION, ++order, Width.SHORT, "Overlap");
        def.define(RECONCILIATION_INITIAL_LOOKBACK_MS, Type.LONG, RECONCILIATION_INITIAL_LOOKBACK_MS_DEFAULT,
                ConfigDef.Range.atLeast(0), Importance.LOW, RECONCILIATION_INITIAL_LOOKBACK_MS_DOC,
                GROUP_RECONCILIATION, ++order, Width.SHORT, "Initial lookback");

        order = 0;
        def.define(TOPIC_CHAT_MESSAGES, Type.STRING, TOPIC_CHAT_MESSAGES_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, TOPIC_CHAT_MESSAGES_DOC, GROUP_TOPICS, ++order, Width.MEDIUM, "Chat messages");
        def.define(TOPIC_STATUS, Type.STRING, TOPIC_STATUS_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                TOPIC_STATUS_DOC, GROUP_TOPICS, ++order, Width.MEDIUM, "Status");
        def.define(TOPIC_CONTROL, Type.STRING, TOPIC_CONTROL_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                TOPIC_CONTROL_DOC, GROUP_TOPICS, ++order, Width.MEDIUM, "Control");

        def.define(CONTROL_BOOTSTRAP_SERVERS, Type.LIST, "", Importance.MEDIUM, CONTROL_BOOTSTRAP_SERVERS_DOC,
                GROUP_CONTROL, 1, Width.LONG, "Control bootstrap servers");
        return def;
    }

    /** The configuration reference as a Markdown table, for README.md: key, type, default, valid values, doc. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| key | type | default | valid values | importance | description |\n"
                + "|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : CONFIG_DEF.configKeys().values()) {
            Object value = key.defaultValue;
            String shown = !key.hasDefault() ? "(required)"
                    : value == null || value.toString().isEmpty() ? "\"\"" : ConfigDef.convertToString(value, key.type);
            table.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                    .append(" | ").append(key.type == Type.PASSWORD && key.hasDefault() ? "\"\"" : "`" + shown + "`")
                    .append(" | ").append(key.validator == null ? "" : key.validator.toString().replace("|", "\\|"))
                    .append(" | ").append(key.importance.name().toLowerCase())
                    .append(" | ").append(key.documentation.replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    public List<String> serviceUsers() {
        return getList(SERVICE_USERS);
    }

    /** The authority URL msal4j wants: https, host, tenant segment, trailing slash. */
    public String authority() {
        String host = getString(ENTRA_AUTHORITY_HOST);
        return (host.endsWith("/") ? host : host + "/") + getString(ENTRA_TENANT_ID) + "/";
    }

    public String clientId() {
        return getString(ENTRA_CLIENT_ID);
    }

    public Password tokenCacheKey() {
        return getPassword(TOKEN_CACHE_ENCRYPTION_KEY);
    }

    public Duration signInRetryBackoff() {
        return Duration.ofMillis(getLong(SIGN_IN_RETRY_BACKOFF_MS));
    }

    public String graphBaseUrl() {
        String url = getString(GRAPH_BASE_URL);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(GRAPH_REQUEST_TIMEOUT_MS));
    }

    public int retryMaxAttempts() {
        return getInt(GRAPH_RETRY_MAX_ATTEMPTS);
    }

    public String truststorePath() {
        return getString(HTTPS_TRUSTSTORE_PATH);
    }

    public Password truststorePassword() {
        return getPassword(HTTPS_TRUSTSTORE_PASSWORD);
    }

    public String truststoreType() {
        return getString(HTTPS_TRUSTSTORE_TYPE);
    }

    public String subscriptionResource() {
        return getString(SUBSCRIPTION_RESOURCE);
    }

    public String changeTypes() {
        return String.join(",", getList(SUBSCRIPTION_CHANGE_TYPES));
    }

    public String notificationUrl() {
        return getString(SUBSCRIPTION_NOTIFICATION_URL);
    }

    public String lifecycleNotificationUrl() {
        String url = getString(SUBSCRIPTION_LIFECYCLE_NOTIFICATION_URL);
        return url.isEmpty() ? notificationUrl() : url;
    }

    public Password clientState() {
        return getPassword(SUBSCRIPTION_CLIENT_STATE);
    }

    public boolean includeResourceData() {
        return getBoolean(SUBSCRIPTION_INCLUDE_RESOURCE_DATA);
    }

    public String encryptionCertificate() {
        return getString(SUBSCRIPTION_ENCRYPTION_CERTIFICATE);
    }

    public String encryptionCertificateId() {
        return getString(SUBSCRIPTION_ENCRYPTION_CERTIFICATE_ID);
    }

    public int lifetimeMinutes() {
        return getInt(SUBSCRIPTION_LIFETIME_MINUTES);
    }

    public Duration renewalInterval() {
        return Duration.ofMillis(getLong(SUBSCRIPTION_RENEWAL_INTERVAL_MS));
    }

    public Duration reconciliationInterval() {
        return Duration.ofMillis(getLong(RECONCILIATION_INTERVAL_MS));
    }

    public int reconciliationMaxChats() {
        return getInt(RECONCILIATION_MAX_CHATS);
    }

    public Duration reconciliationOverlap() {
        return Duration.ofMillis(getLong(RECONCILIATION_OVERLAP_MS));
    }

    public Duration initialLookback() {
        return Duration.ofMillis(getLong(RECONCILIATION_INITIAL_LOOKBACK_MS));
    }

    public String chatMessagesTopic() {
        return getString(TOPIC_CHAT_MESSAGES);
    }

    public String statusTopic() {
        return getString(TOPIC_STATUS);
    }

    public String controlTopic() {
        return getString(TOPIC_CONTROL);
    }

    public boolean controlEnabled() {
        return !getList(CONTROL_BOOTSTRAP_SERVERS).isEmpty();
    }

    /** Every {@code control.}-prefixed setting with the prefix removed, for the control topic's consumer. */
    public Map<String, Object> controlConsumerSettings() {
        return originalsWithPrefix(CONTROL_PREFIX);
    }
}
