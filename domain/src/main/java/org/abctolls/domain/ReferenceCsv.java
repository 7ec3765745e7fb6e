package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The CSV underneath the reference data files: columns found by header name, rows handed on
 * with checks whose errors name the file, the line and the field ({@link ReferenceData} says
 * what each file holds).
 */
final class ReferenceCsv {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    private ReferenceCsv() {}

    static void writeRows(Writer writer, List<String> header, List<String[]> rows) {
        try (SequenceWriter out = CSV.writerFor(String[].class)
                .with(CSV.schema().withLineSeparator("\n"))
                .writeValues(writer)) {
            out.write(header.toArray(String[]::new));
            out.writeAll(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void forEachRow(String fileName, Reader reader, List<String> header, Consumer<Row> handler) {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(withoutByteOrderMark(reader))) {
            if (!rows.hasNextValue()) {
                throw new ReferenceDataException(fileName, 1, null, "empty file, expected the header " + header);
            }
            long headerLine = rows.getCurrentLocation().getLineNr();
            List<String> actualHeader = Arrays.asList(rows.nextValue());
            // Columns are found by name: a file may order them otherwise, or add its own.
            if (!header.stream()
                    .allMatch(column -> actualHeader.indexOf(column) >= 0
                            && actualHeader.indexOf(column) == actualHeader.lastIndexOf(column))) {
                throw new ReferenceDataException(
                        fileName,
                        headerLine,
                        null,
                        "expected a header naming each of " + header + " once, found " + actualHeader);
            }
            while (rows.hasNextValue()) {
                long line = rows.getCurrentLocation().getLineNr();
                String[] values = rows.nextValue();
                if (values.length != actualHeader.size()) {
                    throw new ReferenceDataException(
                            fileName,
                            line,
                            null,
                            "expected " + actualHeader.size() + " fields " + actualHeader + ", found " + values.length);
                }
                handler.accept(new Row(fileName, line, header, actualHeader, values));
            }
        } catch (JsonProcessingException e) {
            // A syntax error such as an unclosed quote: the file is broken, not unreadable.
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ReferenceDataException(fileName, line, null, "not valid CSV: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** Spreadsheets save UTF-8 with a byte order mark, which the CSV parser skips only for bytes. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** One data row of a reference file, with checks that report its file, line and field. */
    record Row(String fileName, long line, List<String> columns, List<String> header, String[] values) {

        String get(String field) {
            return values[header.indexOf(field)];
        }

        /** The values of the contract's columns, whatever else the file holds. */
        List<String> contractValues() {
            return columns.stream().map(this::get).toList();
        }

        ReferenceDataException error(String field, String problem) {
            return new ReferenceDataException(fileName, line, field, problem);
        }

        String checked(String field, Function<String, Optional<String>> rule) {
            String value = get(field);
            Optional<String> problem = rule.apply(value);
            if (problem.isPresent()) {
                throw error(field, problem.get());
            }
            return value;
        }

        long notNegative(String field, long max) {
            String value = get(field);
            if (!WHOLE_NUMBER.matcher(value).matches()) {
                throw error(field, "must be a whole number, was " + TollEventRules.quote(value));
            }
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw error(field, "is out of range, was " + value);
            }
            if (number < 0) {
                throw error(field, "must not be negative, was " + number);
            }
            if (number > max) {
                throw error(field, "must be at most " + max + ", was " + number);
            }
            return number;
        }

        DayOfWeek dayOfWeek(String field) {
            String value = get(field);
            try {
                return DayOfWeek.valueOf(value);
            } catch (IllegalArgumentException e) {
                throw error(
                        field,
                        "must be one of " + List.of(DayOfWeek.values()) + ", was " + TollEventRules.quote(value));
            }
        }

        /**
         * @return whether this is the first row with its key; a row repeated whole is the same
         *     fact again, and false; a row that repeats the key with other values is an error
         */
        boolean unique(Map<String, Row> firstRowByKey, String keyFields, String key, String description) {
            Row first = firstRowByKey.putIfAbsent(key, this);
            if (first == null) {
                return true;
            }
            if (first.contractValues().equals(contractValues())) {
                return false;
            }
            throw error(keyFields, "duplicate " + description + " (first on line " + first.line + ")");
        }
    }
}
