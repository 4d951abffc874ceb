package io.beatline.ingest;

import io.beatline.core.BeatlineException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw zone ({@code raw} in config, local or s3a): one folder per source, one {@code dt=}
 * folder per landing date. Lists what landed; reading the files is the ingest jobs' part.
 */
public final class RawZone {

    private static final Logger LOG = LoggerFactory.getLogger(RawZone.class);
    private static final String DT = "dt=";

    private final String root;
    private final Configuration hadoop;

    public RawZone(String root, Configuration hadoop) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.hadoop = hadoop;
    }

    public String root() {
        return root;
    }

    /** Landing dates of {@code source} (e.g. {@code events}, {@code crm/companies}), oldest first. */
    public List<LocalDate> landedDates(String source) {
        Path folder = new Path(root + "/" + source);
        List<LocalDate> dates = new ArrayList<>();
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            if (!fs.exists(folder)) {
                return dates;
            }
            for (FileStatus status : fs.listStatus(folder)) {
                String name = status.getPath().getName();
                if (!status.isDirectory() || !name.startsWith(DT)) {
                    continue;
                }
                try {
                    dates.add(LocalDate.parse(name.substring(DT.length())));
                } catch (DateTimeParseException e) {
                    LOG.warn("Ignoring folder {}: the part after dt= is not a date YYYY-MM-DD", status.getPath());
                }
            }
        } catch (IOException e) {
            throw BeatlineException.jobFailure("Cannot list " + folder + ": " + e.getMessage(), e);
        }
        dates.sort(Comparator.naturalOrder());
        return dates;
    }

    /** The files that landed for {@code source} on {@code date}, or empty when the folder is absent. */
    public Optional<LandedBatch> batch(String source, LocalDate date) {
        Path folder = new Path(root + "/" + source + "/" + DT + date);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            if (!fs.exists(folder)) {
                return Optional.empty();
            }
            List<RawFile> files = new ArrayList<>();
            for (FileStatus status : fs.listStatus(folder)) {
                String name = status.getPath().getName();
                // Hadoop's convention: _SUCCESS markers and .crc side files are not data
                if (status.isDirectory() || name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                files.add(new RawFile(status.getPath().toString(), name, status.getLen(), status.getModificationTime()));
            }
            files.sort(Comparator.comparing(RawFile::name));
            return Optional.of(new LandedBatch(source, date, folder.toString(), files));
        } catch (IOException e) {
            throw BeatlineException.jobFailure("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
