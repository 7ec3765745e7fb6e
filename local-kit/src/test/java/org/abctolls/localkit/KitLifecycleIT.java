package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kit's lifecycle as {@code ./tolls} runs it: a second kit on ports and a run directory of
 * its own (beside the kit the other tests use) is started, stopped, made to fail and
 * interrupted, and each time it ends either fully up or with nothing of it running.
 */
class KitLifecycleIT {

    private static final Path REPOSITORY = LocalKit.find(System.getenv()).repositoryRoot();

    @TempDir
    Path runDirectory;

    private int localStackPort;
    private int dynamoDbPort;
    private int warehousePort;

    @BeforeEach
    void onlyWhereTheKitRuns() {
        assumeFalse(
                AwsTarget.isNamedBy(System.getenv()),
                "the tests are pointed at other AWS endpoints; the kit's lifecycle is tested where it runs");
        localStackPort = LoopbackPorts.freePort();
        dynamoDbPort = LoopbackPorts.freePort();
        warehousePort = LoopbackPorts.freePort();
    }

    @AfterEach
    void stopWhateverIsLeft() {
        run(Map.of(), "local", "down");
    }

    @Test
    void startsRightAfterAStopAndStopsEverythingItStarted() {
        Result firstUp = run(Map.of(), "local", "up");
        assertThat(firstUp.exitCode()).as(firstUp.output()).isZero();
        assertThat(runDirectory.resolve("endpoints.properties")).content().contains(":" + dynamoDbPort);
        assertThat(run(Map.of(), "local", "status").exitCode()).isZero();

        assertThat(run(Map.of(), "local", "down").exitCode()).isZero();
        assertNothingOfTheKitRuns();

        Result secondUp = run(Map.of(), "local", "up");
        assertThat(secondUp.exitCode()).as(secondUp.output()).isZero();
        assertThat(run(Map.of(), "local", "status").exitCode()).isZero();

        run(Map.of(), "local", "down");
        assertNothingOfTheKitRuns();
    }

    @Test
    void aStartThatDoesNotCompleteStopsWhatItHadStarted() {
        // LocalStack needs seconds to answer, so one part or the other is still starting after 1 s.
        Result up = run(Map.of("TOLLS_STARTUP_TIMEOUT_SECONDS", "1"), "local", "up");

        assertThat(up.exitCode()).as(up.output()).isNotZero();
        assertThat(up.output())
                .contains("did not answer within 1s")
                .contains("stopping the local AWS kit that this command started")
                .contains("stopped localstack");
        assertNothingOfTheKitRuns();
        assertThat(run(Map.of(), "local", "status").exitCode()).isEqualTo(3);
    }

    @Test
    void ctrlCWhileStartingStopsEverything() throws Exception {
        Process up = start(Map.of(), "local", "up");
        await().atMost(Duration.ofMinutes(2)).until(() -> LoopbackPorts.isListening(dynamoDbPort));

        interruptLikeATerminal(up);

        assertThat(up.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(up.exitValue()).isEqualTo(130);
        assertNothingOfTheKitRuns();
    }

    @Test
    void ctrlCDuringACommandThatStartedTheKitStopsTheKit() throws Exception {
        // `local run` starts the kit for its command and stops it after, as test, demo and replay do.
        Process command = runWithTheKitUp("sleep", "600");

        interruptLikeATerminal(command);

        assertThat(command.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(command.exitValue()).isEqualTo(130);
        assertNothingOfTheKitRuns();
    }

    @Test
    void aTermToTheCommandAloneStopsItsWorkAndTheKitItStarted() throws Exception {
        Process command = runWithTheKitUp("sleep", "600");
        // The kit is up a moment before its command starts.
        List<ProcessHandle> work = await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> command.descendants()
                                .filter(process ->
                                        process.info().command().orElse("").endsWith("sleep"))
                                .toList(),
                        sleeps -> sleeps.size() == 1);

        // As a service manager or `kill PID` stops it: only the ./tolls process is signalled.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(command.pid()))
                        .start()
                        .waitFor())
                .isZero();

        assertThat(command.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(command.exitValue()).isEqualTo(143);
        assertThat(work.get(0).isAlive()).isFalse();
        assertNothingOfTheKitRuns();
    }

    /**
     * {@code ./tolls local run true | head -n LINES}: the reader goes away while the kit starts,
     * or once it is up, so that the command's last words (the kit's stop) meet a closed pipe.
     */
    @ParameterizedTest(name = "the reader leaves after {0} lines")
    @ValueSource(ints = {1, 10})
    void outputToAReaderThatLeftStopsEverythingTheCommandStarted(int linesRead) throws Exception {
        Process command = configured(Map.of(), "local", "run", "true")
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        try (BufferedReader output = command.inputReader(StandardCharsets.UTF_8)) {
            for (int line = 0; line < linesRead; line++) {
                assertThat(output.readLine()).isNotNull();
            }
        }

        assertThat(command.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertNothingOfTheKitRuns();
    }

    /** {@code ./tolls local run COMMAND}, once it has started the kit for the command. */
    private Process runWithTheKitUp(String... command) {
        List<String> arguments = new ArrayList<>(List.of("local", "run"));
        arguments.addAll(List.of(command));
        Process process = start(Map.of(), arguments.toArray(String[]::new));
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(runDirectory.resolve("endpoints.properties")));
        return process;
    }

    private void assertNothingOfTheKitRuns() {
        assertThat(LoopbackPorts.isListening(localStackPort))
                .as("LocalStack's port is open")
                .isFalse();
        assertThat(LoopbackPorts.isListening(dynamoDbPort))
                .as("DynamoDB's port is open")
                .isFalse();
        assertThat(LoopbackPorts.isListening(warehousePort))
                .as("the warehouse's port is open")
                .isFalse();
        assertThat(processesOfThisKit()).isEmpty();
        assertThat(runDirectory.resolve("endpoints.properties")).doesNotExist();
        assertThat(runDirectory.resolve("localstack.pid")).doesNotExist();
        assertThat(runDirectory.resolve("dynamodb.pid")).doesNotExist();
        assertThat(runDirectory.resolve("warehouse.pid")).doesNotExist();
    }

    /**
     * Every process started for this kit: DynamoDB names its port on its command line;
     * LocalStack and kinesis-mock, which it spawns, carry the gateway address in their
     * environment; the warehouse and PostgreSQL, which it spawns, its run directory.
     */
    private List<String> processesOfThisKit() {
        List<String> found = new ArrayList<>();
        String dynamoDbAddress = "127.0.0.1:" + dynamoDbPort;
        String gateway = "GATEWAY_LISTEN=127.0.0.1:" + localStackPort;
        String tag = "TOLLS_KIT_RUN_DIR=" + runDirectory;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes
                    .filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(dir -> {
                        String commandLine = readQuietly(dir.resolve("cmdline"));
                        String environment = readQuietly(dir.resolve("environ"));
                        if (commandLine.contains(dynamoDbAddress)
                                || environment.contains(gateway)
                                || environment.contains(tag + "\0")) {
                            found.add(dir.getFileName() + " " + commandLine.replace('\0', ' '));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return ""; // the process ended while the list was read
        }
    }

    /** A terminal's Ctrl-C: SIGINT to every process of the command's process group. */
    private static void interruptLikeATerminal(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid())
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }

    private Process start(Map<String, String> extraEnvironment, String... arguments) {
        try {
            return configured(extraEnvironment, arguments)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            runDirectory.resolve("commands.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder configured(Map<String, String> extraEnvironment, String... arguments) {
        List<String> command = new ArrayList<>();
        // A process group of its own, led by ./tolls, as a shell gives each command it runs.
        command.add("setsid");
        command.add(REPOSITORY.resolve("tolls").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("AWS_ENDPOINT_URL") || key.equals("TOLLS_AWS_TARGET"));
        environment.put("TOLLS_RUN_DIR", runDirectory.toString());
        environment.put("TOLLS_LOCALSTACK_PORT", Integer.toString(localStackPort));
        environment.put("TOLLS_DYNAMODB_PORT", Integer.toString(dynamoDbPort));
        environment.put("TOLLS_WAREHOUSE_PORT", Integer.toString(warehousePort));
        environment.putAll(extraEnvironment);
        return builder;
    }

    private Result run(Map<String, String> extraEnvironment, String... arguments) {
        try {
            long logStart = logSize();
            Process process = start(extraEnvironment, arguments);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("./tolls " + String.join(" ", arguments) + " did not end");
            }
            byte[] log = Files.readAllBytes(runDirectory.resolve("commands.log"));
            String output = new String(log, (int) logStart, (int) (log.length - logStart), StandardCharsets.UTF_8);
            System.err.print(output);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long logSize() throws IOException {
        Path log = runDirectory.resolve("commands.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private record Result(int exitCode, String output) {}
}
