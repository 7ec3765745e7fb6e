package org.abctolls.localpipeline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.RunFiles;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.abctolls.sim.TrafficOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tolls demo}: a simulated day through the whole local pipeline, checked against the oracle. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs the whole pipeline on the local kit: the simulator sends a day of traffic with "
                + "every scenario on (dead sensors, threshold crossers, duplicates, disorder, late and "
                + "malformed records, and at midday what a hostile world sends: bytes that are not UTF-8, "
                + "a record over Kinesis' limit, 200,000 control characters, an event stamped 2099, "
                + "passages 30 hours late) in accelerated time; the Flink job and both functions process "
                + "it; live progress is printed, and at the end what the customers and operators received, "
                + "what the ledger holds and what was rejected are compared with the simulator's oracle.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:the pipeline's outputs are exactly the oracle's",
            "1:they differ, or the run did not complete (printed)",
            "2:invalid options"
        })
public final class Demo implements Callable<Integer> {
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    @CommandLine.Mixin
    TrafficOptions traffic = TrafficOptions.of(10, 500, 60);

    @Option(
            names = "--speed",
            defaultValue = "480",
            description = "How much faster than real time the simulated clock runs (default: ${DEFAULT-VALUE},"
                    + " a day in 3 minutes; 1 is real time).")
    double speed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Also write the outputs (as ./tolls replay does), the input and the oracle here.")
    Path out;

    @Option(
            names = "--keep-running",
            description = "After the simulated span, keep the pipeline running (Ctrl-C stops it) instead of"
                    + " closing it and comparing with the oracle.")
    boolean keepRunning;

    @CommandLine.Mixin
    TemplateOption template;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final Duration WATERMARK_BOUND = TumblingWindow.DEFAULT_WATERMARK_BOUND;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new Demo(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (speed <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be positive");
        }
        Simulation simulation;
        try {
            simulation = Generator.generate(SimulationOptions.defaults()
                    .withSeed(traffic.seed())
                    .withTraffic(
                            SimulationOptions.DEFAULT_START,
                            traffic.span(),
                            traffic.stations(),
                            traffic.customers(),
                            traffic.peakVehiclesPerHour())
                    .withScenarios(SimulationOptions.Scenarios.ALL.withHostile(true))
                    .withWatermarkBound(WATERMARK_BOUND));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Oracle.Result oracle = Oracle.of(simulation, WATERMARK_BOUND);
        console.printf(
                "simulated %s of traffic: %,d records (%,d passages, %,d re-sent, %,d malformed, %,d over Kinesis'"
                        + " limit) at %d stations for %,d customers%n",
                traffic.span(),
                oracle.records(),
                oracle.distinctPassages(),
                oracle.duplicates(),
                oracle.malformed(),
                oracle.rejectedByProducer(),
                traffic.stations(),
                traffic.customers());
        try (RunDirectory workDir = RunDirectory.create("tolls-demo")) {
            console.printf(
                    "starting the pipeline on the local kit (logs: %s; checkpoints: %s, removed at the end)%n",
                    System.getProperty("tolls.log.file", "local-pipeline.log"), workDir.path());
            console.flush();
            return run(console, oracle, simulation, workDir);
        }
    }

    private int run(PrintWriter console, Oracle.Result oracle, Simulation simulation, RunDirectory workDir)
            throws Exception {
        AwsTarget aws = AwsTarget.of(System.getenv());
        String prefix = UniqueNames.of("demo");
        try (LocalPipeline pipeline = LocalPipeline.start(
                aws,
                StackTemplate.read(template.file),
                prefix,
                new LocalPipeline.Reference(simulation.stations(), simulation.thresholds(), simulation.customers()),
                LocalPipeline.Options.in(workDir.path(), WATERMARK_BOUND))) {
            workDir.running(pipeline);
            Instant started = Instant.now();
            AutoCloseable ticking = PipelineProgress.every(
                    PROGRESS_INTERVAL,
                    pipeline,
                    progress -> console.println(progress.line(oracle, Duration.between(started, Instant.now()))));
            try {
                console.printf("sending %s of traffic at %.0fx speed%n", traffic.span(), speed);
                pipeline.publishPaced(simulation.emissions(), speed);
                if (keepRunning) {
                    console.printf(
                            "the day is sent; the pipeline keeps running. Send more with:%n"
                                    + "  ./tolls simulate --stream %s --realtime%n"
                                    + "Ctrl-C stops it.%n",
                            pipeline.inputStream());
                    console.flush();
                    // Until Ctrl-C, whose hook stops the job and the functions.
                    new CountDownLatch(1).await();
                    return 0;
                }
                console.println("all sent; closing the last windows and waiting for the functions");
                LocalPipeline.Output output = pipeline.finish(TIMEOUT);
                ticking.close();
                if (out != null) {
                    OutputFiles.write(out, output);
                    RunFiles.writeEvents(out.resolve("input"), simulation.emissions());
                    RunFiles.writeReferenceData(out.resolve("input"), simulation);
                    RunFiles.writeOracle(out, oracle);
                }
                return summary(console, output, oracle, simulation) ? 0 : 1;
            } finally {
                ticking.close();
            }
        }
    }

    /** Prints the comparison; true when every output is exactly the oracle's. */
    private static boolean summary(
            PrintWriter console, LocalPipeline.Output output, Oracle.Result oracle, Simulation simulation) {
        OracleComparison comparison =
                OracleComparison.of(output, oracle, simulation.emissions(), OracleComparison.Delivery.EXACTLY_ONCE);
        console.println();
        console.println("                         pipeline     oracle");
        for (OracleComparison.Row row : comparison.rows()) {
            console.printf(
                    "  %-22s %8d   %8d   %s%n",
                    row.output(), row.actual(), row.expected(), row.same() ? "identical" : "DIFFERENT");
            row.differences().stream()
                    .limit(5)
                    .map(difference -> difference.length() > 200 ? difference.substring(0, 200) + "..." : difference)
                    .forEach(difference -> console.println("      " + difference));
        }
        if (output.warehouse().isEmpty()) {
            console.println("  warehouse passages     (no warehouse on this target)");
        }
        boolean same = comparison.same();
        console.println();
        console.println("latency from a window's close to its alert in the subscriber's queue:");
        console.println("  billing alerts:      " + output.billingLatency());
        console.println("  low-traffic alerts:  " + output.lowTrafficLatency());
        if (output.warehouse().isPresent()) {
            console.println("from a record's put on TollEvents to its passage being queryable in the warehouse:");
            console.println("  " + output.warehouseLatency().describe("passages"));
            console.printf(
                    "  (query it while the kit is up: ./tolls warehouse sql \"SELECT count(*) FROM toll_passages\";"
                            + " this run's schema is %s)%n",
                    output.warehouse().get().schema());
        }
        console.println();
        console.println(
                same
                        ? "the pipeline's outputs are exactly the oracle's"
                        : "the pipeline's outputs DIFFER from the oracle's");
        console.flush();
        return same;
    }
}
