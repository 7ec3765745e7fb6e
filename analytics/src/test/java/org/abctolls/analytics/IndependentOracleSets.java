package org.abctolls.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The data sets of the oracle written from the contract alone ({@code
 * testdata/independent-oracle}): their lines, as {@code ./tolls replay} splits {@code
 * events.jsonl}, and the oracle's expected files. {@code IndependentOracleTest} runs them through
 * the topology, the local pipeline's {@code IndependentOracleReplayIT} through {@code ./tolls
 * replay}.
 */
public final class IndependentOracleSets {

    /**
     * An event id of half a surrogate pair (JSON may escape one, UTF-8 cannot carry it) is
     * refused here: written out it would be {@code ?}, one passage's ledger and warehouse key for
     * another's (README, Hostile input). The oracle accepts it by default; where this pipeline
     * reads the contract the other way, the set names the oracle's alternative reading it
     * follows, whose files the oracle writes beside its default ones.
     */
    private static final Map<String, String> READINGS_FOLLOWED = Map.of("07-hostile", "lone-surrogate-malformed");

    private static final Path SETS = Path.of("..", "testdata", "independent-oracle", "sets");
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndependentOracleSets() {}

    /** A line of {@code events.jsonl}: its number and bytes. */
    public record Line(int number, byte[] bytes) {}

    /** Every set, in name order. */
    public static List<Path> all() throws IOException {
        try (Stream<Path> sets = Files.list(SETS)) {
            return sets.filter(Files::isDirectory).sorted().toList();
        }
    }

    public static Path named(String name) {
        return SETS.resolve(name);
    }

    /**
     * The set's records as {@code ReplayInput} reads them: a byte order mark opening the file is
     * not part of the first record, a line ending in CR LF ends before the CR, an empty line is no
     * record (but keeps its number), and every other line is one, whatever its bytes.
     */
    public static List<Line> lines(Path set) throws IOException {
        byte[] content = Files.readAllBytes(set.resolve("events.jsonl"));
        List<Line> lines = new ArrayList<>();
        boolean byteOrderMark = content.length >= BYTE_ORDER_MARK.length
                && Arrays.equals(content, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length);
        int from = byteOrderMark ? BYTE_ORDER_MARK.length : 0;
        for (int number = 1; from < content.length; number++) {
            int end = from;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int last = end > from && content[end - 1] == '\r' ? end - 1 : end;
            if (last > from) {
                lines.add(new Line(number, Arrays.copyOfRange(content, from, last)));
            }
            from = end + 1;
        }
        return lines;
    }

    /** The numbers of the lines refused, found by the SHA-256 each dead letter names. */
    public static TreeSet<Integer> refusedLines(List<Line> lines, Collection<String> deadLetters) throws IOException {
        Map<String, List<Integer>> numbersByDigest = new TreeMap<>();
        for (Line line : lines) {
            numbersByDigest
                    .computeIfAbsent(sha256(line.bytes()), digest -> new ArrayList<>())
                    .add(line.number());
        }
        TreeSet<Integer> refused = new TreeSet<>();
        for (String deadLetter : deadLetters) {
            List<Integer> numbers =
                    numbersByDigest.get(JSON.readTree(deadLetter).path("sha256").asText());
            if (numbers == null || numbers.isEmpty()) {
                throw new AssertionError("a dead letter of no line (or of one refused twice): " + deadLetter);
            }
            refused.add(numbers.remove(0));
        }
        return refused;
    }

    /** The oracle's file, or the one of the reading this pipeline follows for the set where that differs. */
    public static Path expected(Path set, String file) {
        String reading = READINGS_FOLLOWED.get(set.getFileName().toString());
        if (reading != null) {
            Path alternative = set.resolve("alternatives").resolve(reading).resolve(file);
            if (Files.exists(alternative)) {
                return alternative;
            }
        }
        return set.resolve("expected").resolve(file);
    }

    /** The expected file's lines, blank ones left out. */
    public static List<String> expectedLines(Path set, String file) {
        try {
            return Files.readAllLines(expected(set, file), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The numbers of the lines the oracle calls malformed ({@code LINE<TAB>reason} rows). */
    public static TreeSet<Integer> expectedMalformedLines(Path set) {
        TreeSet<Integer> numbers = new TreeSet<>();
        expectedLines(set, "malformed.txt").forEach(row -> numbers.add(Integer.parseInt(row.split("\t")[0])));
        return numbers;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
