package io.beatline.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

/** The files of one source that landed on one date ({@code <source>/dt=YYYY-MM-DD/}). */
public record LandedBatch(String source, LocalDate landingDate, String folder, List<RawFile> files) {

    public LandedBatch {
        files = List.copyOf(files);
    }

    public long bytes() {
        return files.stream().mapToLong(RawFile::size).sum();
    }

    /** Changes when a file is added, removed, rewritten or touched. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (RawFile file : files) {
                digest.update((file.name() + "|" + file.size() + "|" + file.modified() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
