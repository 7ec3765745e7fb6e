package org.abctolls.sim;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abctolls.domain.TumblingWindow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** The transceiver simulator's command line. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates realistic toll traffic and sends it to a Kinesis stream and/or JSON Lines files,",
            "with the reference data that matches it and, in simulated time, the outputs a correct",
            "pipeline must produce for it (the oracle). Same seed and options: byte-identical output (in simulated time; --realtime passages are new each run)."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every record was sent, but those over Kinesis' record limit (kept in rejected.jsonl)",
            "1:records failed after every retry (the count is printed)",
            "2:invalid options"
        })
public final class Simulate implements Callable<Integer> {

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write events.jsonl, the reference data and oracle/ here.")
    Path out;

    @Option(names = "--stream", paramLabel = "NAME", description = "Send the events to this Kinesis stream.")
    String stream;

    @Option(
            names = "--shards",
            defaultValue = "0",
            description = "Create --stream with this many shards if it does not exist yet (0: it must exist).")
    int shards;

    @CommandLine.Mixin
    TrafficOptions traffic = TrafficOptions.of(12, 2000, 240);

    @Option(
            names = "--start",
            defaultValue = "2026-11-16T00:00:00Z",
            description = "Simulated time: first instant (default: ${DEFAULT-VALUE}, a Monday).")
    Instant start;

    @Option(
            names = "--extra-zones",
            split = ",",
            paramLabel = "ZONE",
            description = "Time zones for stations beyond the four continental US ones, e.g. Asia/Kolkata.")
    List<ZoneId> extraZones = new ArrayList<>();

    @Option(names = "--max-events", defaultValue = "0", description = "Stop after this many passages (0: no limit).")
    long maxEvents;

    @Option(names = "--dead-sensors", defaultValue = "0", description = "Stations whose sensor dies for 1-2 hours.")
    int deadSensors;

    @Option(names = "--threshold-crossers", defaultValue = "0", description = "Customers who cross their threshold.")
    int thresholdCrossers;

    @Option(names = "--duplicates", defaultValue = "0", description = "Fraction of passages re-sent exactly.")
    double duplicates;

    @Option(names = "--out-of-order", defaultValue = "PT0S", description = "Passages arrive up to this late (bounded).")
    Duration outOfOrder;

    @Option(names = "--late", defaultValue = "0", description = "Fraction of passages arriving 1-3 hours late.")
    double late;

    @Option(
            names = "--malformed",
            defaultValue = "0",
            description = "Fraction of extra records that break the contract.")
    double malformed;

    @Option(
            names = "--all-scenarios",
            description = "Dead sensors, threshold crossers, duplicates, disorder, late and malformed records at once.")
    boolean allScenarios;

    @Option(
            names = "--hostile",
            description = "At midday, what a hostile world sends: bytes that are not UTF-8, a record over Kinesis'"
                    + " limit, 200,000 control characters, an event in 2099, passages 30 hours late, late passages"
                    + " for billed and closed windows, other content under a seen event id stamped two hours"
                    + " ahead.")
    boolean hostile;

    @Option(
            names = "--watermark-bound",
            defaultValue = TumblingWindow.DEFAULT_WATERMARK_BOUND_TEXT,
            description = "The analytics job's out-of-orderness bound, for the oracle (default: ${DEFAULT-VALUE}).")
    Duration watermarkBound;

    @Option(
            names = "--realtime",
            description = "Real time: event time is now, at --rate, for --duration or --max-events.")
    boolean realtime;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Real time: events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "PT1M",
            description = "Real time: how long (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final String REJECTED = "rejected.jsonl";

    /** What a run sent and how long sending took. */
    record Run(long records, Duration elapsed) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new Simulate()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (out == null && stream == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --out DIR, --stream NAME, or both");
        }
        SimulationOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter console = spec.commandLine().getOut();
        try (KinesisClient kinesis = stream == null ? null : KinesisClient.create()) {
            if (kinesis != null && shards > 0) {
                createStreamIfAbsent(kinesis, console);
            }
            KinesisPublisher publisher = kinesis == null
                    ? null
                    : new KinesisPublisher(
                            kinesis::putRecords,
                            stream,
                            KinesisPublisher.RetryPolicy.DEFAULT,
                            duration -> Thread.sleep(duration.toMillis()),
                            new SecureRandom());
            Run run = realtime
                    ? new RealtimeTraffic(rate, duration, maxEvents, out).send(options, publisher, console)
                    : runSimulated(options, publisher, console);
            if (publisher != null) {
                keepRejected(publisher, console);
                int openShards = kinesis.describeStreamSummary(r -> r.streamName(stream))
                        .streamDescriptionSummary()
                        .openShardCount();
                return SendSummary.print(console, publisher.stats(), run, stream, openShards);
            }
            return 0;
        }
    }

    private void createStreamIfAbsent(KinesisClient kinesis, PrintWriter console) {
        try {
            kinesis.describeStreamSummary(r -> r.streamName(stream));
        } catch (ResourceNotFoundException absent) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
            kinesis.waiter().waitUntilStreamExists(r -> r.streamName(stream));
            console.printf("created stream %s with %d shards%n", stream, shards);
        }
    }

    private SimulationOptions options() {
        return new SimulationOptions(
                traffic.seed(),
                new SimulationOptions.Traffic(
                        start,
                        traffic.span(),
                        traffic.stations(),
                        traffic.customers(),
                        traffic.peakVehiclesPerHour(),
                        extraZones,
                        maxEvents),
                (allScenarios
                                ? SimulationOptions.Scenarios.ALL
                                : new SimulationOptions.Scenarios(
                                        deadSensors, thresholdCrossers, duplicates, outOfOrder, late, malformed, false))
                        .withHostile(hostile),
                watermarkBound);
    }

    private Run runSimulated(SimulationOptions options, KinesisPublisher publisher, PrintWriter console)
            throws InterruptedException {
        Simulation simulation = Generator.generate(options);
        List<Emission> emissions = simulation.emissions();
        if (out != null) {
            RunFiles.writeEvents(out, emissions);
            RunFiles.writeReferenceData(out, simulation);
            Oracle.Result oracle = Oracle.of(simulation, options.watermarkBound());
            RunFiles.writeOracle(out, oracle);
            console.printf(
                    "wrote %,d records (%,d passages, %,d duplicates, %,d malformed, %,d over Kinesis' limit, %,d late)"
                            + " to %s; oracle: %,d billing alerts, %,d low-traffic alerts%n",
                    oracle.records(),
                    oracle.distinctPassages(),
                    oracle.duplicates(),
                    oracle.malformed(),
                    oracle.rejectedByProducer(),
                    oracle.lateForStations(),
                    out.resolve(RunFiles.EVENTS),
                    oracle.billingAlerts().size(),
                    oracle.lowTrafficAlerts().size());
        }
        if (publisher == null) {
            return new Run(emissions.size(), Duration.ZERO);
        }
        try (Progress progress = new Progress(console, publisher.stats(), emissions.size())) {
            publisher.publish(emissions);
            console.printf("%n");
            return new Run(emissions.size(), progress.elapsed());
        }
    }

    /** Records Kinesis cannot take are kept with their reason: in the run's directory, or in the working one. */
    private void keepRejected(KinesisPublisher publisher, PrintWriter console) {
        if (publisher.rejected().isEmpty()) {
            return;
        }
        Path file = (out == null ? Path.of("") : out).resolve(REJECTED);
        RunFiles.writeRejected(file, publisher.rejected());
        console.printf(
                "kept %,d records over Kinesis' record limit, with the reason, in %s%n",
                publisher.rejected().size(), file);
    }
}
