package io.beatline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a scheduler uses: the Airflow DAG compiles, the submit script checks its arguments. */
class SchedulingFilesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int exitCode, String output) {
    }

    static Result exec(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
        return new Result(process.exitValue(), output);
    }

    static boolean hasPython() {
        try {
            return exec(ROOT, List.of("python3", "--version")).exitCode() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void airflowDagCompilesAndRunsOneDateAtATime() throws Exception {
        assertTrue(hasPython(), "python3 is needed to compile the Airflow DAG: install it (apt-get install python3)");
        Path dag = ROOT.resolve("scripts/airflow/beatline_dag.py");
        Result compiled = exec(ROOT, List.of("python3", "-c",
                "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                dag.toString(), dir.resolve("dag.pyc").toString()));
        assertEquals(0, compiled.exitCode(), compiled.output());
        String text = Files.readString(dag);
        assertTrue(text.contains("max_active_runs=1"), "one run at a time");
        assertTrue(text.contains("SparkSubmitOperator"));
        assertTrue(text.contains("\"--as-of\", \"{{ ds }}\""), "the daily DAG runs its logical date");
        assertTrue(text.contains("\"--from\""), "and there is a backfill example");
        assertTrue(text.contains("schedule=\"0 3 * * 0\"") && text.contains("beatline_task(\"maintain\", \"maintain\")"),
                "and a weekly maintenance");
    }

    @Test
    void submitScriptIsValidBashAndExplainsItsUsage() throws Exception {
        Path script = ROOT.resolve("scripts/spark-submit.sh");
        assertEquals(0, exec(ROOT, List.of("bash", "-n", script.toString())).exitCode());
        Result usage = exec(ROOT, List.of("bash", script.toString(), "--master", "local[1]"));
        assertEquals(2, usage.exitCode(), usage.output());
        assertTrue(usage.output().contains("usage: scripts/spark-submit.sh"), usage.output());
    }
}
