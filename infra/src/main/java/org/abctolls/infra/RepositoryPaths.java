package org.abctolls.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files of this repository (the built jars, the reference data, the warehouse DDL), found
 * from wherever the app runs: {@code cdk synth} at the root, tests in {@code infra/}.
 */
final class RepositoryPaths {
    private RepositoryPaths() {}

    static String resolve(String relative) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("cdk.json"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("no cdk.json above " + Path.of("").toAbsolutePath());
        }
        Path file = root.resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing; build it first: mvn -pl functions,analytics -am "
                    + "package -DskipTests (./tolls cdk synth does)");
        }
        return file.toString();
    }

    /** The statements of the {@code .sql} files in a folder, in the order of their names. */
    static List<String> sqlFilesIn(String relativeFolder) {
        Path folder = Path.of(resolve(relativeFolder));
        try (Stream<Path> files = Files.list(folder)) {
            List<String> statements = new ArrayList<>();
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                statements.add(Files.readString(file, StandardCharsets.UTF_8));
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SQL files in " + folder, e);
        }
    }
}
