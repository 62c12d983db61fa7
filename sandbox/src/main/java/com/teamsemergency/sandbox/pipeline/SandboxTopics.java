package com.teamsemergency.sandbox.pipeline;

import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

import com.teamsemergency.sandbox.kafka.EmbeddedKafka;

/** The product's topics, at their default names, created on the sandbox broker as a deployment would have them. */
public final class SandboxTopics {

    public static final String NOTIFICATIONS = "graph-notifications";
    public static final String CHAT_MESSAGES = "teams.chat-messages";
    public static final String USER_LOCATIONS = "teams.user-locations";
    public static final String ALERTS = "teams.emergency-alerts";
    public static final String DEAD_LETTERS = "teams.dead-letters";
    public static final String GRAPH_CONTROL = "teams.graph-control";
    public static final String CONNECTOR_STATUS = "teams.connector-status";

    /** Event Hubs gives a new hub 4 partitions by default; the sandbox keeps 2 to stay light on two cores. */
    public static final int PARTITIONS = 2;

    private SandboxTopics() {
    }

    public static void createAll(EmbeddedKafka kafka) {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        kafka.createTopic(NOTIFICATIONS, PARTITIONS, Map.of());
        kafka.createTopic(CHAT_MESSAGES, PARTITIONS, Map.of());
        kafka.createTopic(USER_LOCATIONS, PARTITIONS, compacted);
        kafka.createTopic(ALERTS, PARTITIONS, Map.of());
        kafka.createTopic(DEAD_LETTERS, PARTITIONS, Map.of());
        kafka.createTopic(GRAPH_CONTROL, PARTITIONS, Map.of());
        kafka.createTopic(CONNECTOR_STATUS, 1, compacted);
    }
}
