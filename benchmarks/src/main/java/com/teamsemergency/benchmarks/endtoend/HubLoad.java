package com.teamsemergency.benchmarks.endtoend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.RecordMetadata;

import com.teamsemergency.sandbox.graph.encoding.NotificationEncoder;
import com.teamsemergency.sandbox.pipeline.ChatMessages;
import com.teamsemergency.sandbox.pipeline.HubWriter;

/**
 * Writes Graph-shaped encrypted notifications into the hub at a fixed rate, one notification per record: every
 * {@value #EMERGENCY_EVERY}th by default an emergency call in a chat of its own, the rest ordinary messages spread over
 * a few hundred chats. Records are encrypted before the clock starts, so that the writer's own cost does not set
 * the rate.
 */
final class HubLoad {

    static final int EMERGENCY_EVERY = 100;
    private static final int ORDINARY_POOL = 2_000;
    private static final int ORDINARY_CHATS = 300;
    private static final String CALLER_ID = "7d2c5b1e-4f3a-4e21-9c8d-0a1b2c3d4e5f";

    private final HubWriter hub;
    private final NotificationEncoder encoder;
    private final List<byte[]> ordinary = new ArrayList<>();
    private final AtomicLong messageIds = new AtomicLong(System.currentTimeMillis() * 1_000);
    /** Emergency message id to the moment (System.nanoTime) just before its record was handed to the producer. */
    private final Map<String, Long> emergencySent = new ConcurrentHashMap<>();
    private final AtomicLong failedSends = new AtomicLong();
    private final Map<String, Future<RecordMetadata>> pending = new ConcurrentHashMap<>();

    HubLoad(HubWriter hub) {
        this.hub = hub;
        this.encoder = hub.encoder();
        for (int i = 0; i < ORDINARY_POOL; i++) {
            String chat = "19:ordinary" + (i % ORDINARY_CHATS) + "@thread.v2";
            ordinary.add(collection(ChatMessages.ordinary(chat, nextMessageId(), "sender-" + (i % 97),
                    "Colleague " + (i % 97), "Ordinary message " + i + ": shall we meet at " + (9 + i % 8)
                            + " o'clock about the quarterly figures?")));
        }
    }

    /** The result of one fixed-rate phase, as the writer saw it. */
    record Phase(int target, int written, int emergencies, double seconds, long behindMaxMillis) {

        double achievedRate() {
            return written / seconds;
        }
    }

    /** Writes at {@code rate} records per second for {@code duration}; emergency records are prepared beforehand. */
    Phase run(int rate, Duration duration, int emergencyEvery) {
        int total = (int) (rate * duration.toMillis() / 1000);
        List<String> emergencyIds = new ArrayList<>();
        List<byte[]> emergencies = new ArrayList<>();
        for (int i = 0; i < total; i += emergencyEvery) {
            String id = nextMessageId();
            emergencyIds.add(id);
            emergencies.add(emergencyRecord(id));
        }
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long behindMax = 0;
        int emergencyIndex = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            } else {
                behindMax = Math.max(behindMax, now - due);
            }
            if (i % emergencyEvery == emergencyEvery / 2 && emergencyIndex < emergencies.size()) {
                String id = emergencyIds.get(emergencyIndex);
                byte[] record = emergencies.get(emergencyIndex++);
                emergencySent.put(id, System.nanoTime());
                send(record, id);
            } else {
                send(ordinary.get(i % ordinary.size()), null);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        hub.flush();
        settle();
        return new Phase(rate, total, emergencyIndex, seconds, behindMax / 1_000_000);
    }

    /** Writes {@code count} records as fast as the producer takes them; for preloading a backlog. */
    int preload(int count, int emergencyEvery) {
        int emergencies = 0;
        for (int i = 0; i < count; i++) {
            if (i % emergencyEvery == emergencyEvery / 2) {
                String id = nextMessageId();
                emergencySent.put(id, System.nanoTime());
                send(emergencyRecord(id), id);
                emergencies++;
            } else {
                send(ordinary.get(i % ordinary.size()), null);
            }
        }
        hub.flush();
        settle();
        return emergencies;
    }

    private void send(byte[] record, String emergencyId) {
        Future<RecordMetadata> written = hub.send(record);
        if (emergencyId != null) {
            pending.put(emergencyId, written);
        }
    }

    /**
     * After a flush: forgets the emergency records the hub refused, since the application never had a chance to see
     * them, and counts them.
     */
    private void settle() {
        for (Map.Entry<String, Future<RecordMetadata>> entry : pending.entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                failedSends.incrementAndGet();
                emergencySent.remove(entry.getKey());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        pending.clear();
    }

    private byte[] emergencyRecord(String messageId) {
        String chat = "19:emergency" + messageId + "@thread.v2";
        return collection(ChatMessages.emergencyCall(chat, messageId, CALLER_ID, "Dana Whitfield", "911",
                "Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US", "+1 217 555 0142"));
    }

    private byte[] collection(byte[] chatMessage) {
        return encoder.collection(HubWriter.SUBSCRIPTION_ID, Instant.now().plusSeconds(3 * 24 * 3600),
                List.of(chatMessage));
    }

    private String nextMessageId() {
        return Long.toString(messageIds.incrementAndGet());
    }

    /** Every emergency message id written so far, with the moment it was handed to the producer. */
    Map<String, Long> emergencySent() {
        return emergencySent;
    }

    long failedSends() {
        return failedSends.get();
    }
}
