package io.beatline.core;

import java.time.LocalDate;
import java.util.List;

/**
 * One step of the daily pipeline, and the shape of every stage command: a name (its command and
 * its run-log job), the tables it reads and writes, and {@link #run} for one date. A stage is
 * made for one command's {@link JobContext} (its session, config and run scope) and the options
 * of that command; {@code pipeline/DailyPipeline} lists the stages in order and runs each the
 * same way its own command does. Each table a stage writes has that stage as its one writer
 * (the meta tables, the run log and the batch bookkeeping, are written by core helpers the
 * stages call).
 */
public abstract class Stage {

    protected final JobContext context;
    protected final TableStore store;
    private final String name;
    private final List<TableSpec> inputs;
    private final List<TableSpec> outputs;

    protected Stage(JobContext context, String name, List<TableSpec> inputs, List<TableSpec> outputs) {
        this.context = context;
        this.store = context.store();
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** The stage's command and run-log job, e.g. {@code ingest-events}. */
    public final String name() {
        return name;
    }

    /** The tables it reads (besides the raw zone). */
    public final List<TableSpec> inputs() {
        return inputs;
    }

    /** The tables it writes; no other stage writes them. */
    public final List<TableSpec> outputs() {
        return outputs;
    }

    /** Runs the stage for {@code date} (an as-of date, or a landing date) and says what it did. */
    public abstract JobResult run(LocalDate date);

    /**
     * Whether the report lists the result's parts on lines of their own under the stage's line
     * (segments: a line per segment); else the stage's line already says them (CRM entities).
     */
    public boolean reportsParts() {
        return false;
    }
}
