package com.teamsemergency.streams.errors;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.teamsemergency.common.deadletter.DeadLetterReason;

/**
 * The last guard against an output record that the producer refuses as too large, which would otherwise stop the
 * stream thread and, on the same input, every thread after it. The processors keep their records well under the
 * limit (capped alert text, dead letters within a size budget), so this should not run; when it does, the record
 * is replaced by a dead letter without a value. Under exactly-once the producer has already failed the
 * transaction by then, so the input is retried once before this skips it.
 */
public final class OversizedRecordHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OversizedRecordHandler.class);

    private DeadLetterTopic deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterTopic.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        int size = record.value() == null ? 0 : record.value().length;
        log.error("A record of {} bytes for {} is over the size limit, from {}-{}@{}; it is left out and a dead letter "
                + "says so", size, record.topic(), context.topic(), context.partition(), context.offset());
        if (record.topic().equals(deadLetters.name())) {
            return Response.resume();
        }
        return Response.resume(deadLetters.letterFor(context, record.key(), record.value(), null,
                DeadLetterReason.RECORD_TOO_LARGE, "a record of " + size + " bytes for " + record.topic()
                        + " was refused"));
    }
}
