package com.teamsemergency.benchmarks.endtoend;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.teamsemergency.sandbox.kafka.EmbeddedKafka;
import com.teamsemergency.sandbox.pipeline.HubWriter;
import com.teamsemergency.sandbox.pipeline.SandboxTopics;
import com.teamsemergency.sandbox.pipeline.StreamsSandbox;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * End-to-end figures on the in-process broker: write-to-alert latency at fixed rates and the highest rate sustained,
 * the throughput of one instance against the bare RSA rate, and failover between two instances with proof that no
 * alert was lost or duplicated. The Streams application always runs in JVMs of its own with a 256 MB heap.
 *
 * <p>{@code EndToEndBenchmark [--quick] [--only latency,throughput,failover]
 * [--scenarios default,one-stream-thread,...] [--keep]}
 */
public final class EndToEndBenchmark {

    private static final String HEAP = "256m";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    /**
     * The configurations compared, each with the parts it runs by default. "default" is the shipped configuration;
     * the others each undo one of the perf changes (so that before and after are measured in the same run) or show
     * what a setting costs.
     */
    record Scenario(Map<String, String> overrides, Set<String> parts) {
    }

    static final Map<String, Scenario> SCENARIOS = scenarios();

    private final PrintStream out;
    private final boolean quick;
    private final EmbeddedKafka kafka;
    private final Path workDir;
    private final StreamsSandbox keys;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private double rsaOneThread;
    private double rsaAllThreads;

    private EndToEndBenchmark(PrintStream out, boolean quick, EmbeddedKafka kafka, Path workDir) {
        this.out = out;
        this.quick = quick;
        this.kafka = kafka;
        this.workDir = workDir;
        this.keys = StreamsSandbox.create(kafka, workDir.resolve("keys"), "keys", Map.of(), null);
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("default", new Scenario(Map.of(), Set.of("latency", "throughput", "failover")));
        // Before "perf: two stream threads by default".
        scenarios.put("one-stream-thread", new Scenario(Map.of("kafka.num.stream.threads", "1"),
                Set.of("latency", "throughput")));
        // Before "perf: 10 s consumer session timeout": Kafka's own default.
        scenarios.put("session-timeout-45s", new Scenario(Map.of("kafka.consumer.session.timeout.ms", "45000"),
                Set.of("failover")));
        // Not run unless named: failover tuned further, at the broker's minimum session timeout and with a shorter
        // transaction timeout, after which the broker aborts the dead instance's open transaction.
        scenarios.put("fast-failover", new Scenario(Map.of("kafka.consumer.session.timeout.ms", "6000",
                "kafka.producer.transaction.timeout.ms", "5000"), Set.of("failover")));
        // For comparison only, not run unless named: what exactly-once costs. Not recommended: after a crash an
        // alert could then be sent twice.
        scenarios.put("at-least-once", new Scenario(Map.of("kafka.processing.guarantee", "at_least_once"),
                Set.of("latency", "throughput")));
        return scenarios;
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        boolean quick = arguments.contains("--quick");
        Set<String> parts = Set.of(option(arguments, "--only", "latency,throughput,failover").split(","));
        List<String> scenarios = List.of(option(arguments, "--scenarios",
                "default,one-stream-thread,session-timeout-45s").split(","));
        PrintStream out = System.out;
        Path workDir = Files.createTempDirectory("end-to-end-benchmark");
        out.printf("End-to-end benchmark%s: %d CPUs, load average %s, Streams instances with -Xmx%s%n",
                quick ? " (quick)" : "", Runtime.getRuntime().availableProcessors(), MachineLoad.loadAverage(), HEAP);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDir(workDir.resolve("kafka")))) {
            EndToEndBenchmark benchmark = new EndToEndBenchmark(out, quick, kafka, workDir);
            benchmark.measureRsaFloor();
            // Part by part, so that the scenarios of one part run close together in time, under similar load.
            for (String part : List.of("latency", "throughput", "failover")) {
                for (String name : scenarios) {
                    Scenario scenario = SCENARIOS.get(name);
                    if (scenario == null) {
                        throw new IllegalArgumentException("Unknown scenario " + name + "; known: "
                                + SCENARIOS.keySet());
                    }
                    if (!parts.contains(part) || !scenario.parts().contains(part)) {
                        continue;
                    }
                    switch (part) {
                        case "latency" -> benchmark.latency(name, scenario.overrides());
                        case "throughput" -> benchmark.throughput(name, scenario.overrides());
                        default -> benchmark.failover(name, scenario.overrides());
                    }
                }
            }
            benchmark.printSummary();
        }
        if (arguments.contains("--keep")) {
            out.println("Logs, GC logs and broker data kept in " + workDir);
        } else {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static String option(List<String> arguments, String name, String fallback) {
        int index = arguments.indexOf(name);
        return index >= 0 && index + 1 < arguments.size() ? arguments.get(index + 1) : fallback;
    }

    private double[] rsaFloor(Duration warm, Duration time) throws InterruptedException {
        var privateKey = keys.notificationKey().privateKey();
        var publicKey = keys.notificationKey().certificate().getPublicKey();
        return new double[] {BareRsaRate.measure(privateKey, publicKey, 1, warm, time),
            BareRsaRate.measure(privateKey, publicKey, Runtime.getRuntime().availableProcessors(), warm, time)};
    }

    private void measureRsaFloor() throws InterruptedException {
        String load = MachineLoad.loadAverage();
        double[] floor = rsaFloor(Duration.ofSeconds(quick ? 1 : 2), Duration.ofSeconds(quick ? 2 : 4));
        rsaOneThread = floor[0];
        rsaAllThreads = floor[1];
        out.printf(Locale.ROOT, "%nBare RSA-OAEP 2048 private-key decryption: %.0f/s on one thread, %.0f/s on %d "
                + "threads (load %s)%n", rsaOneThread, rsaAllThreads, Runtime.getRuntime().availableProcessors(), load);
        summary.put("bare RSA rate, 1 thread / all threads", String.format(Locale.ROOT, "%.0f/s / %.0f/s",
                rsaOneThread, rsaAllThreads));
    }

    /** Names of this scenario's topics, so that scenarios never see each other's records. */
    private Map<String, String> topics(String prefix) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(AlertsConfig.TOPIC_NOTIFICATIONS, prefix + "." + SandboxTopics.NOTIFICATIONS);
        topics.put(AlertsConfig.TOPIC_CHAT_MESSAGES, prefix + "." + SandboxTopics.CHAT_MESSAGES);
        topics.put(AlertsConfig.TOPIC_USER_LOCATIONS, prefix + "." + SandboxTopics.USER_LOCATIONS);
        topics.put(AlertsConfig.TOPIC_ALERTS, prefix + "." + SandboxTopics.ALERTS);
        topics.put(AlertsConfig.TOPIC_DEAD_LETTERS, prefix + "." + SandboxTopics.DEAD_LETTERS);
        topics.put(AlertsConfig.TOPIC_GRAPH_CONTROL, prefix + "." + SandboxTopics.GRAPH_CONTROL);
        topics.forEach((key, topic) -> kafka.createTopic(topic, SandboxTopics.PARTITIONS,
                key.equals(AlertsConfig.TOPIC_USER_LOCATIONS) ? Map.of("cleanup.policy", "compact") : Map.of()));
        return topics;
    }

    private StreamsSandbox settings(String applicationId, Path dir, Map<String, String> topics,
                                    Map<String, String> overrides, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(topics);
        all.putAll(overrides);
        all.putAll(extra);
        return StreamsSandbox.create(kafka, dir, applicationId, all, keys);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Latency at fixed rates, and the highest rate sustained

    private void latency(String scenario, Map<String, String> overrides) throws Exception {
        String applicationId = "latency-" + scenario;
        Map<String, String> topics = topics(applicationId);
        StreamsSandbox settings = settings(applicationId, workDir.resolve(applicationId), topics, overrides, Map.of());
        out.printf("%n== Latency, %s configuration %s%n", scenario, overrides);
        try (AlertWatcher watcher = AlertWatcher.start(kafka, topics.get(AlertsConfig.TOPIC_ALERTS));
             HubWriter hub = new HubWriter(kafka, topics.get(AlertsConfig.TOPIC_NOTIFICATIONS), settings);
             StreamsInstance instance = StreamsInstance.start(applicationId, settings.propertiesFile(),
                     workDir.resolve(applicationId), HEAP)) {
            HubLoad load = new HubLoad(hub);
            ConsumerLag lag = new ConsumerLag(kafka.admin(), applicationId,
                    topics.get(AlertsConfig.TOPIC_NOTIFICATIONS));
            long started = System.nanoTime();
            instance.awaitRunning(START_TIMEOUT);
            out.printf("Instance RUNNING %d ms after its JVM started%n", (System.nanoTime() - started) / 1_000_000);

            // Warm-up: the JIT and the broker's first transactions, not measured.
            PhaseResult warm = phase(instance, load, watcher, lag, 300, Duration.ofSeconds(quick ? 8 : 20));
            out.println("warm-up   " + warm);
            int[] fixed = {100, 1000};
            int good = 0;
            int bad = -1;
            for (int rate : fixed) {
                Duration length = Duration.ofSeconds(rate <= 100 ? (quick ? 20 : 40) : (quick ? 15 : 30));
                PhaseResult result = phase(instance, load, watcher, lag, rate, length);
                out.println(String.format(Locale.ROOT, "%5d/s   ", rate) + result);
                summary.put(scenario + ": latency at " + rate + "/s", result.brief());
                if (result.sustained()) {
                    good = rate;
                } else if (bad < 0) {
                    bad = rate;
                }
            }

            // The highest rate sustained: raise until the lag grows, then halve the step once or twice.
            Duration searchLength = Duration.ofSeconds(quick ? 8 : 15);
            int rate = bad < 0 ? 1500 : (good + bad) / 2;
            int steps = quick ? 3 : 5;
            for (int step = 0; step < steps; step++) {
                PhaseResult result = phase(instance, load, watcher, lag, rate, searchLength);
                boolean sustained = result.sustained();
                out.println(String.format(Locale.ROOT, "%5d/s   ", rate) + result + (sustained ? "  SUSTAINED"
                        : "  NOT SUSTAINED"));
                if (sustained) {
                    good = Math.max(good, rate);
                } else {
                    bad = bad < 0 ? rate : Math.min(bad, rate);
                }
                rate = bad < 0 ? rate * 3 / 2 : (good + bad) / 2;
                if (bad > 0 && bad - good <= Math.max(50, good / 8)) {
                    break;
                }
            }
            String found = "highest sustained " + good + "/s" + (bad > 0 ? ", not sustained at " + bad + "/s"
                    : " (not pushed further)");
            out.println(found);
            summary.put(scenario + ": rate search", found);
            summary.put(scenario + ": heap over the whole latency run", instance.gcSinceStart() + "; RSS "
                    + instance.residentMegabytes()[0] + " MB, peak RSS " + instance.residentMegabytes()[1] + " MB");
        }
    }

    /** One fixed-rate phase: write, then wait for this phase's alerts, then read what it cost. */
    private PhaseResult phase(StreamsInstance instance, HubLoad load, AlertWatcher watcher, ConsumerLag lag, int rate,
                              Duration length) throws InterruptedException {
        Set<String> before = new HashSet<>(load.emergencySent().keySet());
        instance.gcSinceLastCall();
        double cpu0 = instance.cpuSeconds();
        double self0 = MachineLoad.ownCpuSeconds();
        MachineLoad machine0 = MachineLoad.now();
        long wall0 = System.nanoTime();
        AtomicLong maxLag = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> maxLag.accumulateAndGet(lag.sample().total(), Math::max), 500, 1000,
                TimeUnit.MILLISECONDS);

        HubLoad.Phase written = load.run(rate, length, HubLoad.EMERGENCY_EVERY);

        sampler.shutdownNow();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        ConsumerLag.Sample end = lag.sample();
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cores = (instance.cpuSeconds() - cpu0) / wall;
        double selfCores = (MachineLoad.ownCpuSeconds() - self0) / wall;
        double machineCores = MachineLoad.now().busyCoresSince(machine0);
        String loadAverage = MachineLoad.loadAverage();
        StreamsInstance.GcSummary gc = instance.gcSinceLastCall();
        long[] rss = instance.residentMegabytes();

        Map<String, Long> sent = new HashMap<>(load.emergencySent());
        sent.keySet().removeAll(before);
        awaitAlerts(watcher, sent.keySet(), DRAIN_TIMEOUT);
        awaitCaughtUp(lag, DRAIN_TIMEOUT);
        List<Double> millis = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<String, Long> e : sent.entrySet()) {
            List<Long> arrived = watcher.arrivals().get(e.getKey());
            if (arrived == null || arrived.isEmpty()) {
                missing++;
            } else {
                millis.add((arrived.get(0) - e.getValue()) / 1e6);
            }
        }
        return new PhaseResult(written, Latencies.of(millis), missing, end, maxLag.get(), cores, selfCores,
                machineCores, loadAverage, gc, rss);
    }

    /** What one phase measured. */
    private record PhaseResult(HubLoad.Phase written, Latencies latencies, int missing, ConsumerLag.Sample endLag,
                               long maxLag, double cores, double driverCores, double machineCores, String loadAverage,
                               StreamsInstance.GcSummary gc, long[] rss) {

        /** Kept up: wrote on schedule, and at the end no more than half a second of records was waiting. */
        boolean sustained() {
            return written.achievedRate() >= 0.95 * written.target() && missing == 0
                    && endLag.total() <= Math.max(50, written.target() / 2);
        }

        String brief() {
            return String.format(Locale.ROOT, "%s; instance CPU %.2f cores; %d MB heap peak; load %s", latencies,
                    cores, gc.peakBeforeMb, loadAverage);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "wrote %d (%.0f/s, %d emergency, writer behind max %d ms) | %s%s | "
                    + "lag max %d, at end %d | CPU: instance %.2f cores, broker+writer %.2f, machine %.2f of %d | "
                    + "load %s | %s | RSS %d MB", written.written(), written.achievedRate(), written.emergencies(),
                    written.behindMaxMillis(), latencies, missing > 0 ? " | " + missing + " alerts MISSING" : "",
                    maxLag, endLag.total(), cores, driverCores, machineCores,
                    Runtime.getRuntime().availableProcessors(), loadAverage, gc, rss[0]);
        }
    }

    private static void awaitAlerts(AlertWatcher watcher, Set<String> ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(id -> watcher.arrivals().containsKey(id))) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void awaitCaughtUp(ConsumerLag lag, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !lag.sample().caughtUp()) {
            Thread.sleep(100);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Throughput of one instance fed as fast as it can take

    /**
     * Starts one instance, warms it up (a cold JVM spends its first minute compiling), then writes a burst of records
     * into the hub much faster than any instance can take them, and times the instance from the burst's first record
     * until it has caught up.
     */
    private void throughput(String scenario, Map<String, String> overrides) throws Exception {
        String applicationId = "throughput-" + scenario;
        Map<String, String> topics = topics(applicationId);
        StreamsSandbox settings = settings(applicationId, workDir.resolve(applicationId), topics, overrides, Map.of());
        int records = quick ? 8_000 : 20_000;
        out.printf("%n== Throughput, %s configuration %s: one warmed-up instance, a burst of %d records%n", scenario,
                overrides, records);
        try (AlertWatcher watcher = AlertWatcher.start(kafka, topics.get(AlertsConfig.TOPIC_ALERTS));
             HubWriter hub = new HubWriter(kafka, topics.get(AlertsConfig.TOPIC_NOTIFICATIONS), settings);
             StreamsInstance instance = StreamsInstance.start(applicationId, settings.propertiesFile(),
                     workDir.resolve(applicationId), HEAP)) {
            HubLoad load = new HubLoad(hub);
            ConsumerLag lag = new ConsumerLag(kafka.admin(), applicationId,
                    topics.get(AlertsConfig.TOPIC_NOTIFICATIONS));
            instance.awaitRunning(START_TIMEOUT);
            load.run(300, Duration.ofSeconds(quick ? 10 : 20), HubLoad.EMERGENCY_EVERY);
            awaitCaughtUp(lag, DRAIN_TIMEOUT);
            long committedBefore = lag.sample().sourceCommitted();
            // The floor again, right before the burst, so that both see the same machine.
            double[] floor = rsaFloor(Duration.ofSeconds(1), Duration.ofSeconds(quick ? 2 : 3));
            Set<String> before = new HashSet<>(load.emergencySent().keySet());
            instance.gcSinceLastCall();

            double cpu0 = instance.cpuSeconds();
            MachineLoad machine0 = MachineLoad.now();
            long start = System.nanoTime();
            int emergencies = load.preload(records, HubLoad.EMERGENCY_EVERY);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            ConsumerLag.Sample last;
            long deadline = start + Duration.ofMinutes(quick ? 3 : 5).toNanos();
            do {
                Thread.sleep(100);
                last = lag.sample();
                if (System.nanoTime() > deadline || !instance.alive()) {
                    throw new IllegalStateException("The instance did not catch up; see " + workDir);
                }
            } while (!last.caughtUp() || last.sourceCommitted() < committedBefore + records);
            double seconds = (last.nanos() - start) / 1e9;
            double rate = records / seconds;
            double cores = (instance.cpuSeconds() - cpu0) / seconds;
            double machine = MachineLoad.now().busyCoresSince(machine0);
            String loadAverage = MachineLoad.loadAverage();
            Set<String> burst = new HashSet<>(load.emergencySent().keySet());
            burst.removeAll(before);
            awaitAlerts(watcher, burst, DRAIN_TIMEOUT);
            long alerted = burst.stream().filter(watcher.arrivals()::containsKey).count();
            String result = String.format(Locale.ROOT, "%.0f notifications/s (%d records written in %.1f s, all "
                    + "processed %.1f s after the first was written) = %.2f of bare RSA on one thread, %.2f of bare "
                    + "RSA on all %d threads; instance CPU %.2f cores (%.2f ms CPU per notification), machine %.2f "
                    + "busy; %d/%d alerts; load %s; %s; bare RSA just before: %.0f/s on one thread, %.0f/s on all",
                    rate, records, writeSeconds, seconds, rate / floor[0], rate / floor[1],
                    Runtime.getRuntime().availableProcessors(), cores, cores * 1000 / rate,
                    machine, alerted, emergencies, loadAverage, instance.gcSinceLastCall(), floor[0], floor[1]);
            out.println(result);
            summary.put(scenario + ": throughput", result);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Failover between two instances

    private void failover(String scenario, Map<String, String> overrides) throws Exception {
        String applicationId = "failover-" + scenario;
        Map<String, String> topics = topics(applicationId);
        Map<String, String> standby = Map.of("kafka.num.standby.replicas", "1");
        StreamsSandbox first = settings(applicationId, workDir.resolve(applicationId + "-a"), topics, overrides,
                standby);
        StreamsSandbox second = settings(applicationId, workDir.resolve(applicationId + "-b"), topics, overrides,
                standby);
        // A steady, moderate load, with emergencies often enough to time the gap to a tenth of a second.
        int rate = 200;
        int emergencyEvery = 10;
        Duration beforeKill = Duration.ofSeconds(quick ? 8 : 12);
        Duration afterKill = Duration.ofSeconds("45000".equals(overrides.get("kafka.consumer.session.timeout.ms"))
                ? 60 : quick ? 30 : 40);
        out.printf("%n== Failover, %s configuration: two instances, standby replicas 1, %d/s with 1 in %d an "
                + "emergency; one instance killed (SIGKILL) after %d s%n", scenario, rate, emergencyEvery,
                beforeKill.toSeconds());
        try (AlertWatcher watcher = AlertWatcher.start(kafka, topics.get(AlertsConfig.TOPIC_ALERTS));
             HubWriter hub = new HubWriter(kafka, topics.get(AlertsConfig.TOPIC_NOTIFICATIONS), first);
             StreamsInstance a = StreamsInstance.start(applicationId + "-a", first.propertiesFile(),
                     workDir.resolve(applicationId + "-a"), HEAP);
             StreamsInstance b = StreamsInstance.start(applicationId + "-b", second.propertiesFile(),
                     workDir.resolve(applicationId + "-b"), HEAP)) {
            HubLoad load = new HubLoad(hub);
            a.awaitRunning(START_TIMEOUT);
            b.awaitRunning(START_TIMEOUT);
            // Let the group settle with both members (and warm the JIT) before measuring anything.
            load.run(200, Duration.ofSeconds(quick ? 8 : 12), emergencyEvery);
            awaitAlerts(watcher, load.emergencySent().keySet(), DRAIN_TIMEOUT);
            Set<String> warmIds = new HashSet<>(load.emergencySent().keySet());

            AtomicLong killedAt = new AtomicLong();
            AtomicLong killedAtWall = new AtomicLong();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(beforeKill.toMillis());
                    killedAt.set(System.nanoTime());
                    killedAtWall.set(System.currentTimeMillis());
                    a.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "killer");
            killer.start();
            HubLoad.Phase written = load.run(rate, beforeKill.plus(afterKill), emergencyEvery);
            killer.join();
            Map<String, Long> sent = new HashMap<>(load.emergencySent());
            sent.keySet().removeAll(warmIds);
            awaitAlerts(watcher, sent.keySet(), DRAIN_TIMEOUT);

            long kill = killedAt.get();
            long longestHold = 0;
            long firstAfterKill = Long.MAX_VALUE;
            long normalAgain = 0;
            List<Double> beforeMillis = new ArrayList<>();
            List<Double> afterMillis = new ArrayList<>();
            for (Map.Entry<String, Long> e : sent.entrySet()) {
                List<Long> arrived = watcher.arrivals().get(e.getKey());
                if (arrived == null || arrived.isEmpty()) {
                    continue;
                }
                long arrival = arrived.get(0);
                if (arrival > kill) {
                    longestHold = Math.max(longestHold, arrival - Math.max(e.getValue(), kill));
                    firstAfterKill = Math.min(firstAfterKill, arrival);
                    normalAgain = Math.max(normalAgain, arrival);
                }
                (e.getValue() < kill ? beforeMillis : afterMillis).add((arrival - e.getValue()) / 1e6);
            }
            // Alerts flow again when the last record held up by the kill has its alert: after that, every record's
            // alert comes at normal latency.
            out.printf(Locale.ROOT, "wrote %d records (%d emergency) in %.1f s; load %s%n", written.written(),
                    written.emergencies(), written.seconds(), MachineLoad.loadAverage());
            out.printf(Locale.ROOT, "first alert after the kill: %.2f s after it; alerts flowing again for every "
                    + "partition %.2f s after the kill (longest any emergency record waited after the kill)%n",
                    (firstAfterKill - kill) / 1e9, longestHold / 1e9);
            out.println("latency of emergencies written before the kill: " + Latencies.of(beforeMillis));
            out.println("latency of emergencies written after the kill:  " + Latencies.of(afterMillis));
            out.println("survivor's state changes: " + stateChanges(b.readLog()) + "; the kill was at "
                    + java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(killedAtWall.get()),
                            java.time.ZoneId.systemDefault()));
            out.println("alerts arriving per second after the kill: " + perSecondAfter(watcher, sent.keySet(), kill,
                    25));

            String proof = exactlyOnce(topics.get(AlertsConfig.TOPIC_ALERTS), load.emergencySent().keySet(),
                    load.failedSends());
            out.println(proof);
            summary.put(scenario + ": failover", String.format(Locale.ROOT, "alerts flowing again %.2f s after "
                    + "SIGKILL (first alert after %.2f s); %s", longestHold / 1e9, (firstAfterKill - kill) / 1e9,
                    proof));
        }
    }

    private static String perSecondAfter(AlertWatcher watcher, Set<String> ids, long from, int seconds) {
        int[] counts = new int[seconds];
        for (String id : ids) {
            for (long arrival : watcher.arrivals().getOrDefault(id, List.of())) {
                long second = (arrival - from) / 1_000_000_000L;
                if (arrival >= from && second < seconds) {
                    counts[(int) second]++;
                }
            }
        }
        return java.util.Arrays.toString(counts);
    }

    private static String stateChanges(String log) {
        List<String> changes = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains("Kafka Streams") && line.contains("->")) {
                changes.add(line.substring(0, Math.min(12, line.length())) + " "
                        + line.substring(line.indexOf("Kafka Streams") + 14).trim());
            }
        }
        return String.join("; ", changes);
    }

    /** Re-reads the whole alert topic with a new read_committed consumer and checks one call alert per message. */
    private String exactlyOnce(String alertsTopic, Set<String> expected, long refused) throws InterruptedException {
        try (AlertWatcher reread = AlertWatcher.start(kafka, alertsTopic)) {
            long stableSince = System.nanoTime();
            long seen = -1;
            while (System.nanoTime() - stableSince < 3_000_000_000L) {
                if (reread.records() != seen) {
                    seen = reread.records();
                    stableSince = System.nanoTime();
                }
                Thread.sleep(200);
            }
            int once = 0;
            int missing = 0;
            int duplicated = 0;
            for (String id : expected) {
                int count = reread.arrivals().getOrDefault(id, List.of()).size();
                once += count == 1 ? 1 : 0;
                missing += count == 0 ? 1 : 0;
                duplicated += count > 1 ? 1 : 0;
            }
            int unexpected = (int) reread.arrivals().keySet().stream().filter(id -> !expected.contains(id)).count();
            return String.format(Locale.ROOT, "exactly-once check (fresh read_committed re-read of %d alert records): "
                    + "%d emergency messages written, %d with exactly one alert, %d LOST, %d DUPLICATED, %d alerts for "
                    + "unknown messages, %d writes refused by the hub", seen, expected.size(), once, missing,
                    duplicated, unexpected, refused);
        }
    }

    private void printSummary() {
        out.printf("%n== Summary (load average now %s)%n", MachineLoad.loadAverage());
        summary.forEach((key, value) -> out.println(key + ": " + value));
    }
}
