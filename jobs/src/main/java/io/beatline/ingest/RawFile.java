package io.beatline.ingest;

/** One file in a landing folder of the raw zone. */
public record RawFile(String path, String name, long size, long modified) {
}
