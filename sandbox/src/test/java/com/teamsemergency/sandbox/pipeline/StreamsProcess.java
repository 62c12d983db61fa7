package com.teamsemergency.sandbox.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.teamsemergency.streams.cli.Main;

/** The Streams application as a process of its own, so that a test can kill it without warning (SIGKILL). */
final class StreamsProcess implements AutoCloseable {

    private final Process process;

    private StreamsProcess(Process process) {
        this.process = process;
    }

    static StreamsProcess start(Path configFile, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", configFile.toString()));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new StreamsProcess(builder.start());
    }

    /** Kills the process as a power cut would: no shutdown hook, no commit, no goodbye to the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
