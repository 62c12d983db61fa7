package com.teamsemergency.connector.config;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The configuration one task receives: the connector's, plus the service user it signs in and watches. */
public class TaskConfig extends ConnectorConfig {

    public static final String TASK_SERVICE_USER = "task.service.user";
    static final String TASK_SERVICE_USER_DOC = "The service user this task serves; set by the connector from "
            + "service.users, not by hand.";

    public static final String TASK_CONNECTOR_NAME = "task.connector.name";
    static final String TASK_CONNECTOR_NAME_DOC = "The connector's name, bound into the token cache's encryption "
            + "so that a blob cannot be replayed into another connector; set by the connector.";

    public static final ConfigDef CONFIG_DEF = ConnectorConfig.define(new ConfigDef())
            .define(TASK_SERVICE_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, TASK_SERVICE_USER_DOC)
            .define(TASK_CONNECTOR_NAME, Type.STRING, "", Importance.LOW, TASK_CONNECTOR_NAME_DOC);

    public TaskConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    public String serviceUser() {
        return getString(TASK_SERVICE_USER);
    }

    public String connectorName() {
        return getString(TASK_CONNECTOR_NAME);
    }
}
