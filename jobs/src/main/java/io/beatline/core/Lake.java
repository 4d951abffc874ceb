package io.beatline.core;

/** The lake root (a local folder or an s3a:// URI) and where each table lives below it. */
public record Lake(String root) {

    public Lake {
        while (root.endsWith("/") && root.length() > 1) {
            root = root.substring(0, root.length() - 1);
        }
    }

    public String path(TableSpec table) {
        return root + "/" + table.relativePath();
    }
}
