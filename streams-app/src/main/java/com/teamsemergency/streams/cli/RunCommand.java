package com.teamsemergency.streams.cli;

import java.io.PrintStream;

import com.teamsemergency.streams.AlertsApplication;
import com.teamsemergency.streams.AlertsService;
import com.teamsemergency.streams.config.AlertsConfig;

/** Runs the service until the process is told to stop. */
final class RunCommand {

    private final AlertsConfig config;

    RunCommand(AlertsConfig config) {
        this.config = config;
    }

    int run(PrintStream err) {
        AlertsService service = AlertsService.start(new AlertsApplication(config));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "emergency-alerts-shutdown"));
        try {
            // Returns on a signal (through the hook) and also when Streams fails on its own: a process that looks
            // alive while alerting nothing would be the worst outcome.
            service.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (service.failed()) {
            err.println("Kafka Streams stopped after failures; see the log above.");
            return 1;
        }
        return 0;
    }
}
