package com.teamsemergency.streams.topology;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import com.teamsemergency.common.alert.EmergencyAlert;
import com.teamsemergency.common.crypto.NotificationDecryptor;
import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.common.location.UserLocationSerde;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.streams.alert.AlertEvents;
import com.teamsemergency.streams.serde.JsonSerde;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;

/**
 * The alert pipeline, built in one place with every processor, store and repartition topic named, so that the
 * topology reads in {@code describe()} and stays compatible across releases:
 *
 * <pre>
 * graph-notifications -- unpack --+             +-- dead letters
 *                                 +-- route ----+-- graph-control
 * teams.chat-messages --- read ---+             +-- recognise -- repartition by chat -- track incidents
 *                                                   -- join user location (left) -- CloudEvent -- alerts
 * </pre>
 */
public final class AlertTopology {

    public static final String LOCATIONS_STORE = "user-locations-store";

    private AlertTopology() {
    }

    /** The settings the topology itself needs; the application's config supplies them. */
    public record Settings(
            String notificationsTopic,
            String chatMessagesTopic,
            String userLocationsTopic,
            String alertsTopic,
            String deadLettersTopic,
            String graphControlTopic,
            String clientState,
            String tenantId,
            Duration dedupHorizon,
            Duration incidentWindow,
            URI alertSource,
            EmergencyRules rules) {

        /** Without the client state, so that a log line of the settings never carries it. */
        @Override
        public String toString() {
            return "Settings[topics " + notificationsTopic + ", " + chatMessagesTopic + ", " + userLocationsTopic
                    + " -> " + alertsTopic + ", " + deadLettersTopic + ", " + graphControlTopic + "; tenant "
                    + tenantId + "; dedup " + dedupHorizon + ", incident window " + incidentWindow + "]";
        }
    }

    public static Topology build(Settings settings, NotificationDecryptor decryptor, ProcessingCounters counters) {
        StreamsBuilder builder = new StreamsBuilder(topologyConfig());
        Serde<byte[]> bytes = Serdes.ByteArray();

        KStream<String, Routed> fromNotifications = builder
                .stream(settings.notificationsTopic(), Consumed.with(bytes, bytes).withName("graph-notifications-in"))
                .process(() -> new NotificationUnpacker(settings.clientState(), settings.tenantId(), decryptor,
                        counters), Named.as("unpack-notifications"));

        KStream<String, Routed> fromReconciliation = builder
                .stream(settings.chatMessagesTopic(), Consumed.with(bytes, bytes).withName("chat-messages-in"))
                .process(() -> new ReconciledMessageReader(counters), Named.as("read-reconciled-messages"));

        Map<String, KStream<String, Routed>> routes = fromNotifications
                .merge(fromReconciliation, Named.as("merge-message-paths"))
                .split(Named.as("route-"))
                .branch((key, routed) -> routed instanceof Routed.DeadLetter, Branched.as("dead-letters"))
                .branch((key, routed) -> routed instanceof Routed.ControlRequest, Branched.as("control"))
                .defaultBranch(Branched.as("messages"));

        routes.get("route-dead-letters")
                .process(() -> mapping(DeadLetterHeaders::toOutput), Named.as("dead-letter-records"))
                .to(settings.deadLettersTopic(), Produced.with(bytes, bytes).withName("dead-letters-out"));

        routes.get("route-control")
                .process(() -> mapping(AlertTopology::controlRecord), Named.as("control-records"))
                .to(settings.graphControlTopic(), Produced.with(Serdes.String(), bytes).withName("graph-control-out"));

        GlobalKTable<String, UserLocation> locations = builder.globalTable(settings.userLocationsTopic(),
                Consumed.with(Serdes.String(), new UserLocationSerde()).withName("user-locations-in"),
                Materialized.<String, UserLocation, KeyValueStore<Bytes, byte[]>>as(LOCATIONS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new UserLocationSerde())
                        .withCachingDisabled());

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IncidentTracker.SEEN_MESSAGES_STORE), Serdes.String(), Serdes.Long())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IncidentTracker.INCIDENTS_STORE), Serdes.String(),
                new JsonSerde<>(Incident.class)).withCachingDisabled());

        MessageRecognition recognition = new MessageRecognition(settings.rules());
        AlertEvents events = new AlertEvents(settings.alertSource());
        routes.get("route-messages")
                .process(() -> mapping(routed -> routed.withValue(
                        recognition.recognise((Routed.Message) routed.value(), routed.timestamp()))),
                        Named.as("recognise-emergency"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(ChatEvent.class))
                        .withName("messages-by-chat"))
                .process(() -> new IncidentTracker(settings.dedupHorizon(), settings.incidentWindow(), counters),
                        Named.as("track-incidents"), IncidentTracker.SEEN_MESSAGES_STORE,
                        IncidentTracker.INCIDENTS_STORE)
                .leftJoin(locations, (incidentId, alert) -> UserIds.normalise(alert.caller().id()),
                        EmergencyAlert::withRegisteredLocation, Named.as("join-user-location"))
                .process(() -> mapping(alert -> new Record<String, CloudEvent>(alert.key(),
                        events.toCloudEvent(alert.value()), alert.timestamp(), new RecordHeaders())),
                        Named.as("to-cloud-event"))
                .to(settings.alertsTopic(), Produced.with(Serdes.String(), cloudEventSerde())
                        .withName("alerts-out"));

        return builder.build();
    }

    /**
     * The builder's own config: without one, it makes a default that warns, at every start, that global-table
     * processing errors are not routed to the processing exception handler.
     */
    private static TopologyConfig topologyConfig() {
        return new TopologyConfig(new StreamsConfig(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "topology-builder",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true)));
    }

    public static Serde<CloudEvent> cloudEventSerde() {
        return Serdes.serdeFrom(new CloudEventSerializer(), new CloudEventDeserializer());
    }

    private static Record<String, byte[]> controlRecord(Record<String, Routed> routed) {
        Routed.ControlRequest request = (Routed.ControlRequest) routed.value();
        return new Record<>(request.subscriptionId(), request.notification(), routed.timestamp(), new RecordHeaders());
    }

    /** A stateless processor that maps each record to one record, headers included (the DSL's map drops them). */
    private static <KIn, VIn, KOut, VOut> Processor<KIn, VIn, KOut, VOut> mapping(
            Function<Record<KIn, VIn>, Record<KOut, VOut>> function) {
        return new Processor<>() {
            private ProcessorContext<KOut, VOut> context;

            @Override
            public void init(ProcessorContext<KOut, VOut> context) {
                this.context = context;
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                context.forward(function.apply(record));
            }
        };
    }
}
