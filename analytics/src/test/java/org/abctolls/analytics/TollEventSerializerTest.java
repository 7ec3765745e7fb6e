package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class TollEventSerializerTest {

    private static final TollEventSerializer SERIALIZER = TollEventSerializer.INSTANCE;

    /** Every vehicle class and lane, the contract's extremes, and ids at both ends of ASCII and past it. */
    private static List<TollEvent> events() {
        List<TollEvent> events = new ArrayList<>();
        VehicleClass[] classes = VehicleClass.values();
        for (int lane = TollEventRules.MIN_LANE_ID; lane <= TollEventRules.MAX_LANE_ID; lane++) {
            events.add(new TollEvent(
                    "e-" + lane,
                    String.format("S%04d", lane),
                    lane,
                    String.format("T%07d", lane * 31),
                    String.format("C%07d", lane * 7),
                    classes[lane % classes.length],
                    lane * 3_125,
                    Instant.parse("2026-11-18T14:03:07.250Z").plusMillis(lane)));
        }
        // The longest id of ASCII only, at its top character; one just past ASCII; its bottom character.
        for (String eventId : List.of(
                "\u007f".repeat(TollEventRules.MAX_EVENT_ID_LENGTH),
                "x".repeat(TollEventRules.MAX_EVENT_ID_LENGTH - 1) + "\u0080",
                "\u0000")) {
            events.add(new TollEvent(
                    eventId,
                    "S0001",
                    1,
                    "T0000001",
                    "C0000001",
                    VehicleClass.CAR,
                    1,
                    Instant.parse("2026-11-18T14:03:07Z")));
        }
        String longest = "𝄞".repeat(TollEventRules.MAX_EVENT_ID_LENGTH);
        events.add(new TollEvent(
                longest,
                "S9999",
                TollEventRules.MAX_LANE_ID,
                "T9999999",
                "C9999999",
                VehicleClass.TRUCK_4PLUS,
                TollEventRules.MAX_AMOUNT_CENTS,
                Instant.parse("+292278994-08-17T07:12:55.807Z")));
        events.add(new TollEvent(
                "é\u0000\uFFFF",
                "S0000",
                TollEventRules.MIN_LANE_ID,
                "T0000000",
                "C0000000",
                VehicleClass.MOTORCYCLE,
                TollEventRules.MIN_AMOUNT_CENTS,
                Instant.parse("-292275055-05-16T16:47:04.192Z")));
        return events;
    }

    private static byte[] serialized(List<TollEvent> events) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (TollEvent event : events) {
            SERIALIZER.serialize(event, out);
        }
        return out.getCopyOfBuffer();
    }

    @Test
    void everyEventReadsBackEqualAfterTheOthersWrittenBeforeIt() throws Exception {
        List<TollEvent> events = events();
        DataInputDeserializer in = new DataInputDeserializer(serialized(events));
        List<TollEvent> read = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            read.add(i % 2 == 0 ? SERIALIZER.deserialize(in) : SERIALIZER.deserialize(events.get(0), in));
        }
        assertThat(read).containsExactlyElementsOf(events);
        assertThat(in.available()).isZero();
    }

    @Test
    void copyingTheBytesOfAnEventCopiesExactlyThatEvent() throws Exception {
        List<TollEvent> events = events();
        byte[] original = serialized(events);
        DataInputDeserializer in = new DataInputDeserializer(original);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < events.size(); i++) {
            SERIALIZER.copy(in, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(original);
    }

    @Test
    void itsSnapshotRestoresTheSameSerializerAsCompatible() throws Exception {
        TypeSerializerSnapshot<TollEvent> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<TollEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
        TypeSerializerSchemaCompatibility<TollEvent> compatibility =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void everyPassageStreamOfTheTopologyUsesIt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TollTopology.Outputs outputs = TollTopology.build(
                env.fromData(InputRecord.read("{}".getBytes(StandardCharsets.UTF_8), Instant.MAX)),
                env.fromData(ReferenceDataSnapshot.usable(
                        String.join(",", ReferenceData.STATIONS_HEADER) + "\n",
                        String.join(",", ReferenceData.STATION_THRESHOLDS_HEADER) + "\n",
                        "v1")),
                JobConfig.DEFAULTS);

        List<TypeInformation<?>> passageTypes = Stream.of(
                        outputs.customerWindowTotals(),
                        outputs.lowTrafficAlerts(),
                        outputs.rejected(),
                        outputs.lateForStations())
                .flatMap(output -> output.getTransformation().getTransitivePredecessors().stream())
                .distinct()
                .<TypeInformation<?>>map(Transformation::getOutputType)
                .filter(type -> type.getTypeClass() == TollEvent.class)
                .toList();
        assertThat(passageTypes)
                .as("the type of every stream and side output of passages")
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(type -> assertThat(type).isSameAs(TollEventTypeInfo.INSTANCE));
    }
}
