package com.teamsemergency.sandbox.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An HTTPS server on a free port of 127.0.0.1 with a small pool of daemon threads, not yet started: the emulators
 * add their handler, then start it. Loopback only, as everything the sandbox runs.
 *
 * @param server   the server, bound but not started
 * @param executor its threads, to shut down with it
 */
public record LoopbackHttpsServer(HttpsServer server, ExecutorService executor) {

    public static LoopbackHttpsServer create(SSLContext tls, String threadName) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        return new LoopbackHttpsServer(server, executor);
    }
}
