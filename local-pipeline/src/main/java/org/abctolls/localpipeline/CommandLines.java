package org.abctolls.localpipeline;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** What {@code ./tolls demo} and {@code ./tolls replay} share: where output goes, and how they exit. */
final class CommandLines {
    private CommandLines() {}

    /**
     * Runs a command with the console to itself. The hosted functions print their metrics (EMF
     * lines, which Lambda would ship to CloudWatch Logs) to standard output; those go to a file
     * next to the log instead.
     */
    static int execute(Object command, String[] args) {
        PrintStream console = System.out;
        String log = System.getProperty("tolls.log.file", "local-pipeline.log");
        try {
            System.setOut(new PrintStream(new FileOutputStream(log + ".stdout"), true, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            console.println("cannot write " + log + ".stdout: " + e.getMessage());
            return 1;
        }
        return new CommandLine(command)
                .setOut(new PrintWriter(console, true, StandardCharsets.UTF_8))
                .execute(args);
    }
}
