package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.serving.TableListing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code beatline tables}: every table with its SQL name, rows, latest Delta version, latest date and the run that last wrote it. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "List every table of the lake: SQL name, path, rows, latest Delta version, latest date and the job"
                + " run that last wrote it.")
final class TablesCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"sql name", "path", "rows", "version", "latest date", "last written by"});
        for (TableListing.Entry entry : TableListing.list(context.store())) {
            boolean written = entry.version() >= 0;
            lines.add(new String[] {entry.table().sqlName(), entry.table().relativePath(),
                    written ? String.valueOf(entry.rows()) : "-",
                    written ? String.valueOf(entry.version()) : "(not written yet)",
                    entry.latestDate().map(date -> entry.dateColumn().get() + " " + date).orElse("-"),
                    entry.lastWrittenBy().orElse("-")});
        }
        int[] widths = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == 2 || i == 3 ? " ".repeat(widths[i] - line[i].length()) + line[i] : line[i]
                        + " ".repeat(widths[i] - line[i].length())).append("  ");
            }
            System.out.println(text.toString().stripTrailing());
        }
        System.out.println("Lake: " + context.config().lake() + "; query them with `beatline sql \"SELECT ...\"`"
                + " (docs/bi.md for BI tools)");
        return 0;
    }
}
