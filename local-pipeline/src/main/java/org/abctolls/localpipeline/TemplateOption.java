package org.abctolls.localpipeline;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The synthesized local stack template the commands make their resources from; {@code ./tolls} passes it. */
final class TemplateOption {

    @Option(
            names = "--template",
            defaultValue = "${sys:tolls.template}",
            hidden = true,
            description = "The synthesized local stack template.")
    Path file;
}
