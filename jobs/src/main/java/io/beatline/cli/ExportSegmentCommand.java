package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.segments.SegmentExportJob;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline export-segment --segment ID --format F --out PATH}: a segment's members (or changes) as files. */
@Command(name = "export-segment", mixinStandardHelpOptions = true,
        description = "Write a segment's members on a date (or with --changes, who entered and exited) with their useful"
                + " fields, as csv, json or parquet, to a local path or s3a://.")
final class ExportSegmentCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--segment", required = true, paramLabel = "ID", description = "The segment id.")
    String segment;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "The snapshot date (default: the segment's latest).")
    LocalDate asOf;

    @Option(names = "--changes", description = "Only the members who entered or exited on that date, with a change column.")
    boolean changes;

    @Option(names = "--format", required = true, paramLabel = "csv|json|parquet",
            description = "Output format: csv, json or parquet.", converter = FormatConverter.class)
    SegmentExportJob.Format format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "Output folder, local or s3a://bucket/path; replaced if it exists.")
    String out;

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        long started = System.nanoTime();
        String message = new SegmentExportJob(context).export(segment, Optional.ofNullable(asOf), changes, format, out).message();
        System.out.println("export-segment: " + message + " (" + Beatline.seconds(started) + ")");
        return 0;
    }

    /** Accepts csv, json and parquet in any case. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<SegmentExportJob.Format> {
        @Override
        public SegmentExportJob.Format convert(String value) {
            try {
                return SegmentExportJob.Format.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format; use csv, json or parquet");
            }
        }
    }
}
