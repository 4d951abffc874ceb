package io.beatline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Beatline;
import io.beatline.core.Stage;
import io.beatline.core.TableSpec;
import io.beatline.serving.LakeTables;
import io.beatline.testing.TestLake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The stages of `run`: one writer per table, each a command of its own, each reading what earlier stages wrote. */
class StagesTest {

    @TempDir
    Path dir;

    @Test
    void everySilverAndGoldTableHasOneWriterAndEveryStageIsACommand() {
        List<Stage> stages = new DailyPipeline(new TestLake(dir).context()).stages(false);
        assertEquals(List.of("ingest-events", "ingest-crm", "activity", "engagement", "metrics", "segments"),
                stages.stream().map(Stage::name).toList());

        Map<String, List<String>> writers = new LinkedHashMap<>();
        for (Stage stage : stages) {
            for (TableSpec table : stage.outputs()) {
                writers.computeIfAbsent(table.sqlName(), name -> new ArrayList<>()).add(stage.name());
            }
        }
        for (TableSpec table : LakeTables.all()) {
            if (!table.layer().equals("meta")) {
                assertEquals(1, writers.getOrDefault(table.sqlName(), List.of()).size(),
                        table.sqlName() + " is written by " + writers.get(table.sqlName()));
            }
        }

        // a stage reads only the raw zone and what the stages before it wrote
        List<TableSpec> written = new ArrayList<>();
        for (Stage stage : stages) {
            written.addAll(stage.outputs());
            for (TableSpec input : stage.inputs()) {
                assertTrue(written.contains(input), stage.name() + " reads " + input.sqlName() + ", which no stage before it writes");
            }
        }

        Map<String, CommandLine> commands = new CommandLine(new Beatline()).getSubcommands();
        stages.forEach(stage -> assertTrue(commands.containsKey(stage.name()), stage.name() + " is a command"));
    }
}
