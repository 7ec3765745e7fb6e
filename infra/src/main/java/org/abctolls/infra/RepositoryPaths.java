package org.abctolls.infra;

import java.nio.file.Files;
import java.nio.file.Path;

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
                    + "package -DskipTests (./tolls synth does)");
        }
        return file.toString();
    }
}
