package com.teamsemergency.sandbox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.teamsemergency.sandbox.kafka.EmbeddedKafka;

/**
 * The Streams application killed without warning in the middle of a stream of calls, then started again: every call
 * still gives exactly one alert to a read_committed consumer, none lost and none doubled.
 */
class CrashRecoveryIT {

    private static final int CALLS = 120;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    @Test
    void losesNoAlertAndDoublesNoneWhenKilledMidStreamAndRestarted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDir(workDir.resolve("kafka")))) {
            SandboxTopics.createAll(kafka);
            StreamsSandbox settings = StreamsSandbox.create(kafka, workDir.resolve("streams"), "crash-it", Map.of(),
                    null);
            Path log = Files.createFile(workDir.resolve("streams.log"));
            Set<String> messageIds = new HashSet<>();

            try (HubWriter hub = new HubWriter(kafka, SandboxTopics.NOTIFICATIONS, settings);
                 AlertCollector alerts = new AlertCollector(kafka, SandboxTopics.ALERTS)) {
                StreamsProcess first = StreamsProcess.start(settings.propertiesFile(), log);
                sendCall(hub, 0, messageIds);
                alerts.awaitUntil(list -> list.size() == 1, TIMEOUT);
                assertEquals(1, alerts.drainFor(Duration.ZERO).size(), "the first instance is processing; see " + log);

                for (int call = 1; call < CALLS; call++) {
                    sendCall(hub, call, messageIds);
                    if (call == CALLS / 2) {
                        first.kill();
                    }
                    Thread.sleep(20);
                }
                hub.flush();
                assertTrue(alerts.drainFor(Duration.ZERO).size() < CALLS, "the kill came before the stream's end");

                try (StreamsProcess second = StreamsProcess.start(settings.propertiesFile(), log)) {
                    List<JsonNode> received = alerts.awaitUntil(list -> list.size() >= CALLS, TIMEOUT);
                    received = alerts.drainFor(Duration.ofSeconds(3));

                    Map<String, Long> perMessage = received.stream().collect(Collectors.groupingBy(
                            alert -> alert.get("messageId").asText(), HashMap::new, Collectors.counting()));
                    assertEquals(messageIds, perMessage.keySet(), "every call alerted; see " + log);
                    assertEquals(CALLS, received.size(), "no call alerted twice: " + perMessage.entrySet().stream()
                            .filter(e -> e.getValue() > 1).toList());
                }
            }
        }
    }

    private static void sendCall(HubWriter hub, int call, Set<String> messageIds) {
        String messageId = Long.toString(1_800_000_000_000L + call);
        String chatId = "19:crash-test-" + call + "@thread.v2";
        messageIds.add(messageId);
        hub.sendMessages(List.of(
                ChatMessages.ordinary("19:chatter@thread.v2", "9" + messageId, "u-other", "Sam Okafor", "hello"),
                ChatMessages.emergencyCall(chatId, messageId, "u-" + call, "Caller " + call, "911",
                        "Building " + call, null)));
    }
}
