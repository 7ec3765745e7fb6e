package org.abctolls.localkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The local kit as the project's {@code ./tolls local} commands run it. */
public final class LocalKit {

    private final Path repositoryRoot;
    private final Path runDirectory;

    private LocalKit(Path repositoryRoot, Path runDirectory) {
        this.repositoryRoot = repositoryRoot;
        this.runDirectory = runDirectory;
    }

    /** Finds the repository that holds {@code ./tolls}, from the working directory upwards. */
    public static LocalKit find(Map<String, String> environment) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("tolls")) && Files.isRegularFile(dir.resolve("local-kit/kit.sh"))) {
                Path home = environment.containsKey("TOLLS_HOME")
                        ? Path.of(environment.get("TOLLS_HOME"))
                        : dir.resolve(".tolls");
                Path runDirectory = environment.containsKey("TOLLS_RUN_DIR")
                        ? Path.of(environment.get("TOLLS_RUN_DIR"))
                        : home.resolve("run");
                return new LocalKit(dir, runDirectory);
            }
        }
        throw new IllegalStateException("no ./tolls found in " + start + " or above: run from inside the repository");
    }

    /** The repository that holds {@code ./tolls}. */
    public Path repositoryRoot() {
        return repositoryRoot;
    }

    /** The endpoints, region and dummy credentials that {@code ./tolls local up} wrote. */
    public Map<String, String> endpoints() {
        Path file = runDirectory.resolve("endpoints.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kit's endpoints from " + file, e);
        }
        Map<String, String> endpoints = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> endpoints.put(key, properties.getProperty(key)));
        return endpoints;
    }
}
