package org.abctolls.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awscdk.AssetHashType;
import software.amazon.awscdk.services.s3.assets.AssetOptions;

/**
 * A built jar as an asset named by its content: its entries' names and bytes, not the times a
 * build stamps on them. Named by the file's bytes, each build would be a new asset, and each
 * deploy would replace the functions' code and restart the Flink application for nothing.
 */
final class JarContent {
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private JarContent() {}

    static AssetOptions asset(String jar) {
        return AssetOptions.builder()
                .assetHashType(AssetHashType.CUSTOM)
                .assetHash(sha256(jar))
                .build();
    }

    /**
     * Each entry's name, length and bytes, in name order. Hashed once per file, size and time
     * of change in a JVM: a test run builds the stack several times over the same jars.
     */
    static String sha256(String jar) {
        Path path = Path.of(jar).toAbsolutePath();
        try {
            String version = path + " " + Files.size(path) + " " + Files.getLastModifiedTime(path);
            return HASHES.computeIfAbsent(version, unused -> hashOf(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static String hashOf(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<? extends ZipEntry> entries =
                    zip.stream().sorted(Comparator.comparing(ZipEntry::getName)).toList();
            for (ZipEntry entry : entries) {
                byte[] name = entry.getName().getBytes(StandardCharsets.UTF_8);
                digest.update(
                        ByteBuffer.allocate(Integer.BYTES).putInt(name.length).array());
                digest.update(name);
                try (InputStream content = zip.getInputStream(entry)) {
                    byte[] bytes = content.readAllBytes();
                    digest.update(ByteBuffer.allocate(Integer.BYTES)
                            .putInt(bytes.length)
                            .array());
                    digest.update(bytes);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
