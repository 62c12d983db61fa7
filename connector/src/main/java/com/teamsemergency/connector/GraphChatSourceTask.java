package com.teamsemergency.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.connector.config.TaskConfig;
import com.teamsemergency.connector.offset.TaskOffset;

/**
 * One service user's task: starts the {@link ServiceUserSession} on its own thread and hands its records to Connect.
 * {@link #poll()} returns within a second, and fails the task once the session has given up.
 */
public class GraphChatSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(GraphChatSourceTask.class);
    private static final int QUEUE_CAPACITY = 2_000;
    private static final int MAX_BATCH = 500;

    private final BlockingQueue<SourceRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private ServiceUserSession session;
    private Thread thread;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        TaskConfig config = new TaskConfig(props);
        Map<String, Object> stored = context.offsetStorageReader().offset(TaskOffset.partition(config.serviceUser()));
        TaskOffset offset = TaskOffset.fromMap(stored);
        log.info("Starting Graph chat task for service user {} from {}", config.serviceUser(), offset);
        session = new ServiceUserSession(config, offset, queue);
        thread = new Thread(session, "graph-chat-" + config.serviceUser());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        ConnectException failure = session.failure();
        if (failure != null) {
            throw failure;
        }
        SourceRecord first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        return batch;
    }

    @Override
    public void stop() {
        if (session != null) {
            session.stop();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
