package org.abctolls.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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
    private JarContent() {}

    static AssetOptions asset(String jar) {
        return AssetOptions.builder()
                .assetHashType(AssetHashType.CUSTOM)
                .assetHash(sha256(jar))
                .build();
    }

    static String sha256(String jar) {
        try (ZipFile zip = new ZipFile(jar)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<? extends ZipEntry> entries =
                    zip.stream().sorted(Comparator.comparing(ZipEntry::getName)).toList();
            for (ZipEntry entry : entries) {
                digest.update(entry.getName().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try (InputStream content = zip.getInputStream(entry);
                        DigestOutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                    content.transferTo(sink);
                }
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
