package com.teamsemergency.streams.errors;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * What happens when a processor throws where the topology does not expect it (a bug, a record from another
 * version): the input becomes a dead letter and the stream goes on. Failing instead would stop the thread on that
 * record, and the thread that replaced it too, so that no later emergency call would be alerted.
 */
public final class ProcessingFailureHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProcessingFailureHandler.class);

    private DeadLetterTopic deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterTopic.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.error("Processor {} failed on {}-{}@{}; the input is kept as a dead letter", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return Response.resume(deadLetters.letterFor(context, context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), DeadLetterReason.INTERNAL_ERROR, "processor " + context.processorNodeId() + ": "
                        + exception.getClass().getSimpleName()));
    }
}
