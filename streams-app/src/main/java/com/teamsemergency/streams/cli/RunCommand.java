package com.teamsemergency.streams.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;


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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "emergency-alerts-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return service.failed() ? 1 : 0;
    }
}
