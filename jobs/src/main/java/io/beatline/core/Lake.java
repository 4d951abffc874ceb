package io.beatline.core;

import java.nio.file.Paths;

/**
 * The lake root (a local folder or an s3a:// URI) and where each table lives below it. A relative
 * local root ({@code lake = "lake"}, as the shipped config has it) is made absolute against the
 * working directory: Delta takes {@code delta.`<path>`} as a path only when the path is absolute
 * (a relative one is read as a table in a schema named delta), and a Trino server, started from
 * another folder, must find the same tables.
 */
public record Lake(String root) {

    public Lake {
        while (root.endsWith("/") && root.length() > 1) {
            root = root.substring(0, root.length() - 1);
        }
        if (!root.contains(":") && !root.startsWith("/")) {
            root = Paths.get(root).toAbsolutePath().normalize().toString();
        }
    }

    public String path(TableSpec table) {
        return root + "/" + table.relativePath();
    }
}
