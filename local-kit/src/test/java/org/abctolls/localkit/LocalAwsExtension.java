package org.abctolls.localkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives {@code *IT} tests an {@link AwsTarget} parameter. With {@code AWS_ENDPOINT_URL} or
 * {@code TOLLS_AWS_TARGET=aws} in the environment the tests use those endpoints (a LocalStack
 * container, a real account); otherwise they use the local kit, starting it if it is not up
 * and stopping it after the last test if this run started it.
 */
public final class LocalAwsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalAwsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AwsTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Session.class, key -> Session.open(System.getenv()), Session.class)
                .target;
    }

    /**
     * Lives in the root store, so JUnit closes it once, after every test class has run. A kit it
     * started is also stopped when the JVM ends without that close (Ctrl-C on Maven).
     */
    private static final class Session implements ExtensionContext.Store.CloseableResource {
        private final AwsTarget target;
        private final LocalKit startedKit;
        private final Thread stopOnShutdown;

        private Session(AwsTarget target, LocalKit startedKit) {
            this.target = target;
            this.startedKit = startedKit;
            this.stopOnShutdown =
                    startedKit == null ? null : new Thread(() -> run(startedKit, "down"), "stop-local-kit");
            if (stopOnShutdown != null) {
                Runtime.getRuntime().addShutdownHook(stopOnShutdown);
            }
        }

        static Session open(Map<String, String> environment) {
            if (AwsTarget.isNamedBy(environment)) {
                return new Session(AwsTarget.fromEnvironment(environment), null);
            }
            LocalKit kit = LocalKit.find(environment);
            LocalKit started = null;
            if (run(kit, "status") != 0) {
                int exit = run(kit, "up");
                if (exit != 0) {
                    throw new IllegalStateException(
                            "`./tolls local up` failed with exit code " + exit + " (see its output above)");
                }
                started = kit;
            }
            return new Session(AwsTarget.localKit(kit.endpoints()), started);
        }

        @Override
        public void close() {
            if (startedKit != null) {
                Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
                run(startedKit, "down");
            }
        }

        private static int run(LocalKit kit, String command) {
            Path repository = kit.repositoryRoot();
            try {
                // Copied through System.err rather than inherited: a test JVM forked by Maven talks
                // to Maven over its own standard output, which a child process must not write to.
                Process process = new ProcessBuilder(repository.resolve("tolls").toString(), "local", command)
                        .directory(repository.toFile())
                        .redirectErrorStream(true)
                        .start();
                process.getInputStream().transferTo(System.err);
                return process.waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run ./tolls local " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running ./tolls local " + command, e);
            }
        }
    }
}
