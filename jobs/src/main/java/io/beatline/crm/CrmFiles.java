package io.beatline.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beatline.core.JobRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads CRM extract files into {@link CrmRecord}s: CSV with a header row (RFC 4180: quoted
 * fields may hold commas, quotes and line breaks) or JSON lines, either optionally gzipped.
 * A file is read as a stream, record by record, keeping every record's original text for the
 * quarantine: ingestion runs {@link #open} in Spark tasks, one per file, so an extract of
 * millions of records is never held whole, and never on the driver.
 */
public final class CrmFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CSV = Set.of(".csv", ".csv.gz");
    private static final Set<String> JSON_LINES = Set.of(".json", ".jsonl", ".json.gz", ".jsonl.gz");

    /** The problem of the one record that stands for a file that cannot be read (its raw: what failed). */
    public static final String CORRUPT_FILE = "corrupt_file";

    private CrmFiles() {
    }

    /** A header or JSON key as a column name: lower case, anything but letters and digits as {@code _}. */
    public static String columnName(String header) {
        String name = header.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return name.replaceAll("^_+|_+$", "");
    }

    /**
     * The records of one file, parsed as they are consumed; the reader is closed when the last
     * one is read. A file that cannot be opened or read to its end (a truncated gzip, say)
     * ends with one record of problem {@link #CORRUPT_FILE} whose raw text says why: ingestion
     * then fails naming the file, or keeps only that record (--skip-corrupt-files).
     */
    public static Iterator<CrmRecord> open(String path, String name, LocalDate snapshotDate, Configuration hadoop) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean csv = CSV.stream().anyMatch(lower::endsWith);
        boolean json = JSON_LINES.stream().anyMatch(lower::endsWith);
        if (!csv && !json) {
            return List.of(new CrmRecord(snapshotDate, path, 0, null, Map.of(), "unsupported_file")).iterator();
        }
        Reader reader;
        try {
            Path file = new Path(path);
            InputStream raw = file.getFileSystem(hadoop).open(file);
            InputStream in = lower.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException | RuntimeException e) {
            return List.of(corrupt(snapshotDate, path, e)).iterator();
        }
        return csv ? new CsvRecords(reader, path, snapshotDate) : new JsonLineRecords(reader, path, snapshotDate);
    }

    private static CrmRecord corrupt(LocalDate snapshotDate, String path, Exception e) {
        return new CrmRecord(snapshotDate, path, 0, "corrupt file: " + JobRunner.rootMessage(e), Map.of(), CORRUPT_FILE);
    }

    static List<CrmRecord> readCsv(String text, String sourceFile, LocalDate snapshotDate) {
        List<CrmRecord> records = new ArrayList<>();
        new CsvRecords(new StringReader(text), sourceFile, snapshotDate).forEachRemaining(records::add);
        return records;
    }

    static List<CrmRecord> readJsonLines(String text, String sourceFile, LocalDate snapshotDate) {
        List<CrmRecord> records = new ArrayList<>();
        new JsonLineRecords(new StringReader(text), sourceFile, snapshotDate).forEachRemaining(records::add);
        return records;
    }

    /**
     * Records from a reader, one ahead: {@link #parse} gives the next one, or null at the end.
     * An IOException while reading ends the records with a {@link #CORRUPT_FILE} record.
     */
    private abstract static class StreamedRecords implements Iterator<CrmRecord> {
        final Reader reader;
        final String sourceFile;
        final LocalDate snapshotDate;
        private CrmRecord next;
        private boolean done;

        StreamedRecords(Reader reader, String sourceFile, LocalDate snapshotDate) {
            this.reader = reader;
            this.sourceFile = sourceFile;
            this.snapshotDate = snapshotDate;
        }

        abstract CrmRecord parse() throws IOException;

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = parse();
                } catch (IOException | RuntimeException e) {
                    next = corrupt(snapshotDate, sourceFile, e);
                    done = true;
                }
                if (next == null) {
                    done = true;
                }
                if (done) {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        // the records are read; a failing close changes none of them
                    }
                }
            }
            return next != null;
        }

        @Override
        public CrmRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            CrmRecord record = next;
            next = null;
            return record;
        }
    }

    /**
     * CSV records: the first record is the header (its names through {@link #columnName}); a
     * record with another number of fields, or a quote left open at the end, is malformed.
     */
    private static final class CsvRecords extends StreamedRecords {
        private final CsvParser parser;
        private List<String> header;
        private long number;

        CsvRecords(Reader reader, String sourceFile, LocalDate snapshotDate) {
            super(reader, sourceFile, snapshotDate);
            this.parser = new CsvParser(reader);
        }

        @Override
        CrmRecord parse() throws IOException {
            if (header == null) {
                CsvRecord first = parser.next();
                if (first == null) {
                    return null;
                }
                header = first.fields().stream().map(CrmFiles::columnName).toList();
            }
            CsvRecord row = parser.next();
            if (row == null) {
                return null;
            }
            number++;
            if (row.fields().size() != header.size() || row.unterminated()) {
                return new CrmRecord(snapshotDate, sourceFile, number, row.raw(), Map.of(), "malformed_row");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                values.put(header.get(c), row.fields().get(c));
            }
            return new CrmRecord(snapshotDate, sourceFile, number, row.raw(), values, null);
        }
    }

    /** JSON-lines records: one object per line (lines split at \n, a \r before it dropped); blank lines skipped. */
    private static final class JsonLineRecords extends StreamedRecords {
        private final StringBuilder line = new StringBuilder();
        private long number;

        JsonLineRecords(Reader reader, String sourceFile, LocalDate snapshotDate) {
            super(reader, sourceFile, snapshotDate);
        }

        @Override
        CrmRecord parse() throws IOException {
            String text;
            do {
                text = readLine();
                if (text == null) {
                    return null;
                }
            } while (text.isBlank());
            number++;
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || !node.isObject()) {
                    return new CrmRecord(snapshotDate, sourceFile, number, text, Map.of(), "malformed_row");
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode value = field.getValue();
                    if (!value.isNull()) {
                        values.put(columnName(field.getKey()), value.isValueNode() ? value.asText() : value.toString());
                    }
                }
                return new CrmRecord(snapshotDate, sourceFile, number, text, values, null);
            } catch (IOException e) {
                return new CrmRecord(snapshotDate, sourceFile, number, text, Map.of(), "malformed_row");
            }
        }

        /** The next line without its \n (and a \r before it), or null at the end. */
        private String readLine() throws IOException {
            line.setLength(0);
            int ch = reader.read();
            if (ch < 0) {
                return null;
            }
            while (ch >= 0 && ch != '\n') {
                line.append((char) ch);
                ch = reader.read();
            }
            int length = line.length();
            if (ch == '\n' && length > 0 && line.charAt(length - 1) == '\r') {
                line.setLength(length - 1);
            }
            return line.toString();
        }
    }

    /** One CSV record: its fields, its original text, and whether a quote was left open at the end. */
    record CsvRecord(List<String> fields, String raw, boolean unterminated) {
    }

    /**
     * RFC 4180 records from a reader, one at a time: {@code ""} in a quoted field is a quote, a
     * line break outside quotes ends a record (\r\n as one), a blank record is skipped; a
     * record's raw text is what it spans, without its line break.
     */
    static final class CsvParser {
        private final Reader reader;
        private int pushedBack = -2;

        CsvParser(Reader reader) {
            this.reader = reader;
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int ch = pushedBack;
                pushedBack = -2;
                return ch;
            }
            return reader.read();
        }

        /** The next non-blank record, or null at the end. */
        CsvRecord next() throws IOException {
            while (true) {
                List<String> fields = new ArrayList<>();
                StringBuilder field = new StringBuilder();
                StringBuilder raw = new StringBuilder();
                boolean quoted = false;
                int ch = read();
                if (ch < 0) {
                    return null;
                }
                boolean ended = false;
                while (ch >= 0) {
                    char c = (char) ch;
                    if (quoted) {
                        if (c == '"') {
                            int after = read();
                            if (after == '"') {
                                field.append('"');
                                raw.append("\"\"");
                                ch = read();
                                continue;
                            }
                            quoted = false;
                            raw.append(c);
                            ch = after;
                            continue;
                        }
                        field.append(c);
                        raw.append(c);
                    } else if (c == '"') {
                        quoted = true;
                        raw.append(c);
                    } else if (c == ',') {
                        fields.add(field.toString());
                        field.setLength(0);
                        raw.append(c);
                    } else if (c == '\n' || c == '\r') {
                        if (c == '\r') {
                            int after = read();
                            if (after != '\n' && after >= 0) {
                                pushedBack = after;
                            }
                        }
                        ended = true;
                        break;
                    } else {
                        field.append(c);
                        raw.append(c);
                    }
                    ch = read();
                }
                String text = raw.toString();
                if (text.isBlank()) {
                    if (!ended) {
                        return null;
                    }
                    continue;
                }
                fields.add(field.toString());
                return new CsvRecord(List.copyOf(fields), text, !ended && quoted);
            }
        }
    }
}
