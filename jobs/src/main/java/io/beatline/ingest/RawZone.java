package io.beatline.ingest;

import io.beatline.core.BeatlineException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The raw zone ({@code raw} in config, local or s3a): one folder per source, one {@code dt=}
 * folder per landing date. Lists what landed; reading the files is the ingest jobs' part. Every
 * file below a {@code dt=} folder is part of that landing, in subfolders too; a name starting
 * with {@code _} or {@code .} (Hadoop's {@code _SUCCESS}, {@code .crc} files, {@code _temporary}
 * folders) is not data. What else sits in a source folder is listed by {@link #strayEntries}, so
 * the ingest jobs can report it.
 */
public final class RawZone {

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

    /** Whether the raw zone's root folder exists (a misspelt {@code raw} points at none). */
    public boolean rootExists() {
        Path folder = new Path(root);
        try {
            return folder.getFileSystem(hadoop).exists(folder);
        } catch (IOException e) {
            throw BeatlineException.jobFailure("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Landing dates of {@code source} (e.g. {@code events}, {@code crm/companies}), oldest first. */
    public List<LocalDate> landedDates(String source) {
        List<LocalDate> dates = new ArrayList<>();
        for (FileStatus status : entries(source)) {
            landingDate(status).ifPresent(dates::add);
        }
        dates.sort(Comparator.naturalOrder());
        return dates;
    }

    /**
     * The entries of {@code source}'s folder that are not a {@code dt=YYYY-MM-DD} folder (a file,
     * another folder, {@code dt=2026-13-45}), by name; {@code _} and {@code .} names excepted.
     * Nothing of them is read: the ingest jobs say so in their report and run-log row.
     */
    public List<String> strayEntries(String source) {
        List<String> stray = new ArrayList<>();
        for (FileStatus status : entries(source)) {
            String name = status.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".") && landingDate(status).isEmpty()) {
                stray.add(name);
            }
        }
        stray.sort(Comparator.naturalOrder());
        return stray;
    }

    /** What {@code source}'s folder holds; nothing when it does not exist. */
    private List<FileStatus> entries(String source) {
        Path folder = new Path(root + "/" + source);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            return fs.exists(folder) ? Arrays.asList(fs.listStatus(folder)) : List.of();
        } catch (IOException e) {
            throw BeatlineException.jobFailure("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The landing date of a {@code dt=YYYY-MM-DD} folder; empty for anything else. */
    private static Optional<LocalDate> landingDate(FileStatus status) {
        String name = status.getPath().getName();
        if (!status.isDirectory() || !name.startsWith(DT)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name.substring(DT.length())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code ; not read: a, b (not dt=YYYY-MM-DD folders)}, or nothing: the words the reports append. */
    public String strayNote(String source) {
        List<String> stray = strayEntries(source);
        return stray.isEmpty() ? "" : "; not read under " + source + ": " + String.join(", ", stray)
                + " (not dt=YYYY-MM-DD folders)";
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
            String base = fs.makeQualified(folder).toUri().getPath();
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(folder, true);
            while (listing.hasNext()) {
                LocatedFileStatus status = listing.next();
                String relative = status.getPath().toUri().getPath().substring(base.length() + 1);
                // Hadoop's convention: _SUCCESS markers, .crc side files and _temporary folders are not data
                if (Arrays.stream(relative.split("/")).anyMatch(part -> part.startsWith("_") || part.startsWith("."))) {
                    continue;
                }
                files.add(new RawFile(status.getPath().toString(), relative, status.getLen(), status.getModificationTime()));
            }
            files.sort(Comparator.comparing(RawFile::name));
            return Optional.of(new LandedBatch(source, date, folder.toString(), files));
        } catch (IOException e) {
            throw BeatlineException.jobFailure("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
