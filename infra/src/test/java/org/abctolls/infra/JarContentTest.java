package org.abctolls.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar's asset name follows its content, not the times its build stamped on its entries. */
class JarContentTest {

    @TempDir
    Path folder;

    @Test
    void theSameEntriesBuiltAtAnotherTimeOrInAnotherOrderAreTheSameAsset() throws IOException {
        Map<String, String> entries = Map.of("a/A.class", "first", "b/B.class", "second");
        String monday = jar("monday.jar", entries, Instant.parse("2026-11-23T08:00:00Z"), false);
        String friday = jar("friday.jar", entries, Instant.parse("2026-11-27T17:30:00Z"), true);

        assertThat(JarContent.sha256(friday))
                .isEqualTo(JarContent.sha256(monday))
                .hasSize(64);
    }

    @Test
    void anotherByteOrAnotherNameIsAnotherAsset() throws IOException {
        Instant time = Instant.parse("2026-11-27T00:00:00Z");
        String original = jar("original.jar", Map.of("a/A.class", "first"), time, false);
        String changed = jar("changed.jar", Map.of("a/A.class", "firsT"), time, false);
        String renamed = jar("renamed.jar", Map.of("a/B.class", "first"), time, false);

        assertThat(JarContent.sha256(original))
                .isNotEqualTo(JarContent.sha256(changed))
                .isNotEqualTo(JarContent.sha256(renamed));
    }

    private String jar(String name, Map<String, String> entries, Instant time, boolean reversed) throws IOException {
        Path file = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            List<String> names = new ArrayList<>(entries.keySet());
            Collections.sort(names);
            if (reversed) {
                Collections.reverse(names);
            }
            for (String entryName : names) {
                ZipEntry entry = new ZipEntry(entryName);
                entry.setLastModifiedTime(FileTime.from(time));
                zip.putNextEntry(entry);
                zip.write(entries.get(entryName).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file.toString();
    }
}
