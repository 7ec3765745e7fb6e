package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.junit.jupiter.api.Test;

/**
 * The deployment package as Lambda loads it (after {@code package}): Log4j finds its plugins
 * through one cache file, which log4j-core and log4j-layout-template-json both ship; the jar
 * must hold both merged, or the functions' JSON layout (and with it every ECS field and the
 * request id) is missing in Lambda while every unit test passes.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "abc-tolls-functions.jar");
    private static final String PLUGIN_CACHE =
            "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

    @Test
    void theDeploymentPackageFindsTheJsonLayoutItsLoggingNames() throws Exception {
        assertThat(JAR).exists();
        try (URLClassLoader jar = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, null)) {
            List<URL> caches = Collections.list(jar.findResources(PLUGIN_CACHE));
            assertThat(caches).hasSize(1);
            PluginCache plugins = new PluginCache();
            plugins.loadCacheFiles(Collections.enumeration(caches));

            assertThat(plugins.getCategory("core"))
                    .as("the plugins log4j2.xml names")
                    .containsKeys("console", "jsontemplatelayout", "logger", "root");
            assertThat(plugins.getCategory("jsontemplateresolverfactory"))
                    .as("the resolvers of EcsLayout.json, the MDC's among them")
                    .containsKeys("threadcontextdataresolverfactory", "timestampresolverfactory");
        }
    }
}
