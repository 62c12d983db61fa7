package com.teamsemergency.benchmarks.endtoend;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the Streams application as a process of its own ({@code cli.Main run --config FILE}), with a
 * 256 MB heap and a GC log, so that the heap and CPU it uses are its own and can be read from outside.
 */
final class StreamsInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsInstance.class);
    private static final String MAIN = "com.teamsemergency.streams.cli.Main";
    /** A system property of the benchmark's JVM: further JVM options for every instance; {name} is replaced. */
    static final String EXTRA_JVM_OPTIONS = "benchmarks.instance.jvm-options";
    private static final Pattern GC_PAUSE = Pattern.compile("(Pause \\w+|Pause Full).*?(\\d+)M->(\\d+)M\\((\\d+)M\\)"
            + "\\s+([\\d.]+)ms");
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux this runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path gcLog;
    private long gcLogOffset;
    private final GcSummary gcTotal = new GcSummary();

    private StreamsInstance(String name, Process process, Path logFile, Path gcLog) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.gcLog = gcLog;
    }

    /** Starts {@code emergency-alerts run} with the given settings file in a new JVM on this JVM's class path. */
    static StreamsInstance start(String name, Path propertiesFile, Path workDir, String heap) {
        try {
            Files.createDirectories(workDir);
            Path logFile = workDir.resolve(name + ".log");
            Path gcLog = workDir.resolve(name + "-gc.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xlog:gc:file=" + gcLog));
            // Extra options for a closer look, e.g. -XX:StartFlightRecording=filename=...,settings=profile
            String extra = System.getProperty(EXTRA_JVM_OPTIONS, "").replace("{name}", name).trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "--config",
                    propertiesFile.toString(), "run"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
            // An instance must not outlive the benchmark that started it, whichever way the benchmark ends.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
            log.info("Started Streams instance {} (pid {}, -Xmx{}), log in {}", name, process.pid(), heap, logFile);
            return new StreamsInstance(name, process, logFile, gcLog);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Streams instance " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the service's own log line saying Kafka Streams went to RUNNING. */
    void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Streams instance " + name + " exited with " + process.exitValue()
                        + "; see " + logFile);
            }
            if (readLog().contains("-> RUNNING")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Streams instance " + name + " not RUNNING after " + timeout + "; see "
                + logFile);
    }

    String readLog() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** User plus system CPU seconds the process has used so far, from /proc. */
    double cpuSeconds() {
        return cpuSecondsOf(process.pid());
    }

    static double cpuSecondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command name: state is field 3, utime field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size and its peak so far, in MB, from /proc. */
    long[] residentMegabytes() {
        long rss = -1;
        long peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line) / 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) / 1024;
                }
            }
        } catch (IOException e) {
            // The process is gone; nothing to report.
        }
        return new long[] {rss, peak};
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** What the GC log says happened since the last call: pauses, heap before and after, the committed heap. */
    GcSummary gcSinceLastCall() {
        GcSummary summary = new GcSummary();
        if (!Files.exists(gcLog)) {
            return summary;
        }
        try (RandomAccessFile file = new RandomAccessFile(gcLog.toFile(), "r")) {
            file.seek(gcLogOffset);
            byte[] bytes = new byte[(int) (file.length() - gcLogOffset)];
            file.readFully(bytes);
            gcLogOffset += bytes.length;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = GC_PAUSE.matcher(line);
                if (m.find()) {
                    gcTotal.add(m.group(1).startsWith("Pause Full"), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Double.parseDouble(m.group(5)));
                    summary.add(m.group(1).startsWith("Pause Full"), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Double.parseDouble(m.group(5)));
                }
            }
        } catch (IOException e) {
            log.warn("Cannot read the GC log {}: {}", gcLog, e.getMessage());
        }
        return summary;
    }

    /** Every collection the GC log has shown since the instance started. */
    GcSummary gcSinceStart() {
        gcSinceLastCall();
        return gcTotal;
    }

    /** Kills the process without warning (SIGKILL), as a crashed machine or an OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                log.warn("Streams instance {} did not stop within 40 s; killing it", name);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Garbage collections over a period, read from the GC log. */
    static final class GcSummary {
        int pauses;
        int fullPauses;
        long peakBeforeMb;
        long peakAfterMb;
        long committedMb;
        double pauseMillis;
        double maxPauseMillis;

        void add(boolean full, long beforeMb, long afterMb, long committed, double millis) {
            pauses++;
            fullPauses += full ? 1 : 0;
            peakBeforeMb = Math.max(peakBeforeMb, beforeMb);
            peakAfterMb = Math.max(peakAfterMb, afterMb);
            committedMb = Math.max(committedMb, committed);
            pauseMillis += millis;
            maxPauseMillis = Math.max(maxPauseMillis, millis);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "heap used peak %d MB before GC, %d MB live after GC, "
                    + "%d MB committed; %d GC pauses (%d full), %.0f ms in total, longest %.1f ms", peakBeforeMb,
                    peakAfterMb, committedMb, pauses, fullPauses, pauseMillis, maxPauseMillis);
        }
    }
}
