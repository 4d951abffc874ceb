package io.beatline.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beatline.ingest.RawFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads CRM extract files into {@link CrmRecord}s: CSV with a header row (RFC 4180: quoted
 * fields may hold commas, quotes and line breaks) or JSON lines, either optionally gzipped.
 * Extracts are small (one snapshot a day), so they are read on the driver, which keeps every
 * record's original text for the quarantine.
 */
public final class CrmFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CSV = Set.of(".csv", ".csv.gz");
    private static final Set<String> JSON_LINES = Set.of(".json", ".jsonl", ".json.gz", ".jsonl.gz");

    private CrmFiles() {
    }

    /** A header or JSON key as a column name: lower case, anything but letters and digits as {@code _}. */
    public static String columnName(String header) {
        String name = header.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return name.replaceAll("^_+|_+$", "");
    }

    /** The records of one file; an unreadable file throws, naming it. */
    public static List<CrmRecord> read(RawFile file, LocalDate snapshotDate, Configuration hadoop) throws IOException {
        String name = file.name().toLowerCase(Locale.ROOT);
        boolean csv = CSV.stream().anyMatch(name::endsWith);
        boolean json = JSON_LINES.stream().anyMatch(name::endsWith);
        if (!csv && !json) {
            return List.of(new CrmRecord(snapshotDate, file.path(), 0, null, Map.of(), "unsupported_file"));
        }
        Path path = new Path(file.path());
        String text;
        try (InputStream raw = path.getFileSystem(hadoop).open(path);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return csv ? readCsv(text, file.path(), snapshotDate) : readJsonLines(text, file.path(), snapshotDate);
    }

    static List<CrmRecord> readCsv(String text, String sourceFile, LocalDate snapshotDate) {
        List<CrmRecord> records = new ArrayList<>();
        List<CsvRecord> rows = parseCsv(text);
        if (rows.isEmpty()) {
            return records;
        }
        List<String> header = rows.get(0).fields().stream().map(CrmFiles::columnName).toList();
        for (int i = 1; i < rows.size(); i++) {
            CsvRecord row = rows.get(i);
            if (row.fields().size() != header.size() || row.unterminated()) {
                records.add(new CrmRecord(snapshotDate, sourceFile, i, row.raw(), Map.of(), "malformed_row"));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                values.put(header.get(c), row.fields().get(c));
            }
            records.add(new CrmRecord(snapshotDate, sourceFile, i, row.raw(), values, null));
        }
        return records;
    }

    static List<CrmRecord> readJsonLines(String text, String sourceFile, LocalDate snapshotDate) {
        List<CrmRecord> records = new ArrayList<>();
        long number = 0;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            number++;
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    records.add(new CrmRecord(snapshotDate, sourceFile, number, line, Map.of(), "malformed_row"));
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode value = field.getValue();
                    if (!value.isNull()) {
                        values.put(columnName(field.getKey()), value.isValueNode() ? value.asText() : value.toString());
                    }
                }
                records.add(new CrmRecord(snapshotDate, sourceFile, number, line, values, null));
            } catch (IOException e) {
                records.add(new CrmRecord(snapshotDate, sourceFile, number, line, Map.of(), "malformed_row"));
            }
        }
        return records;
    }

    /** One CSV record: its fields, its original text, and whether a quote was left open at the end. */
    record CsvRecord(List<String> fields, String raw, boolean unterminated) {
    }

    static List<CsvRecord> parseCsv(String text) {
        List<CsvRecord> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
                i++;
                continue;
            }
            if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                int end = i;
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                String raw = text.substring(start, end);
                if (!raw.isBlank()) {
                    records.add(new CsvRecord(List.copyOf(fields), raw, false));
                }
                fields.clear();
                start = i + 1;
            } else {
                field.append(ch);
            }
            i++;
        }
        String rest = text.substring(Math.min(start, text.length()));
        if (!rest.isBlank()) {
            fields.add(field.toString());
            records.add(new CsvRecord(List.copyOf(fields), rest, quoted));
        }
        return records;
    }
}
