package org.abctolls.localpipeline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.UniqueNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tolls replay --input DIR --out DIR}: historical toll logs through the whole local pipeline. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Pushes a directory of toll logs through the local pipeline (Kinesis, the Flink job, "
                + "both functions, DynamoDB, SNS) and writes what it produced. The input ends as a "
                + "bounded input ends: every open window closes.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:the run completed; the outputs are in --out",
            "1:the run did not complete (the reason is printed)",
            "2:invalid options or input"
        })
public final class Replay implements Callable<Integer> {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);

    @Option(
            names = "--input",
            required = true,
            paramLabel = "DIR",
            description = "events.jsonl, stations.csv, station-thresholds.csv and customers.csv.")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where to write billing-alerts.jsonl, low-traffic-alerts.jsonl, monthly-totals.csv"
                    + " and rejected.jsonl.")
    Path out;

    @Option(
            names = "--watermark-bound",
            defaultValue = TumblingWindow.DEFAULT_WATERMARK_BOUND_TEXT,
            description = "The job's out-of-orderness bound (default: ${DEFAULT-VALUE}).")
    Duration watermarkBound;

    @Option(
            names = "--timeout",
            defaultValue = "PT15M",
            description = "Give up when a stage has not caught up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Mixin
    TemplateOption template;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new Replay(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        ReplayInput replayInput;
        try {
            replayInput = ReplayInput.read(input);
        } catch (ReplayInput.InvalidInput e) {
            spec.commandLine().getErr().println("replay: invalid input: " + e.getMessage());
            return 2;
        }
        replayInput.unusableThresholds().forEach(unusable -> spec.commandLine()
                .getErr()
                .println("replay: " + unusable + ": no threshold, the customer is billed and never alerted"));
        console.printf(
                "replaying %d records from %s through the local pipeline (logs: %s)%n",
                replayInput.events().size(), input, System.getProperty("tolls.log.file", "local-pipeline.log"));
        console.flush();
        try {
            Instant started = Instant.now();
            LocalPipeline.Output output = run(
                    AwsTarget.of(System.getenv()),
                    template.file,
                    replayInput,
                    watermarkBound,
                    timeout,
                    progress -> console.println(
                            progress.line(replayInput.events().size(), Duration.between(started, Instant.now()))));
            OutputFiles.write(out, output);
            console.printf(
                    "done: %d billing alerts, %d low-traffic alerts, %d customer months, %d rejected records,"
                            + " %s -> %s%n",
                    output.billingAlerts().size(),
                    output.lowTrafficAlerts().size(),
                    output.monthlyTotals().values().stream()
                            .mapToInt(months -> months.size())
                            .sum(),
                    output.rejected().size(),
                    output.warehouse()
                            .map(warehouse -> warehouse.passages().size() + " warehouse passages")
                            .orElse("no warehouse"),
                    out);
            if (!output.failedBatches().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "replay: %d batches were given up after every retry, so their records are missing"
                                        + " from the outputs; see %s%n",
                                output.failedBatches().size(), out.resolve(OutputFiles.FAILED_BATCHES));
                return 1;
            }
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("replay: the run did not complete: " + e.getMessage());
            return 1;
        }
    }

    /**
     * One replay on a fresh set of resources; the work directory (checkpoints) is removed
     * afterwards, also on Ctrl-C. A large input takes minutes (the kit's Kinesis slows as a shard fills), so its
     * progress is handed on every {@link #PROGRESS_INTERVAL}.
     */
    public static LocalPipeline.Output run(
            AwsTarget aws,
            Path template,
            ReplayInput input,
            Duration watermarkBound,
            Duration timeout,
            Consumer<PipelineProgress> onProgress)
            throws Exception {
        try (RunDirectory workDir = RunDirectory.create("tolls-replay");
                LocalPipeline pipeline = LocalPipeline.start(
                        aws,
                        StackTemplate.read(template),
                        UniqueNames.of("replay"),
                        input.reference(),
                        LocalPipeline.Options.in(workDir.path(), watermarkBound))) {
            workDir.running(pipeline);
            AutoCloseable ticking = PipelineProgress.every(PROGRESS_INTERVAL, pipeline, onProgress);
            try {
                pipeline.publish(input.events());
                return pipeline.finish(timeout);
            } finally {
                ticking.close();
            }
        }
    }
}
