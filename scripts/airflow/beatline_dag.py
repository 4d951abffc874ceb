"""Airflow DAGs for beatline: the daily run, the weekly maintenance, and a backfill triggered by hand.

Copy this file to the DAGs folder of an Airflow 2.7+ deployment with the
apache-airflow-providers-apache-spark package, and set the Airflow Variables below (or edit
the defaults). The Spark connection (`spark_default`) points at the cluster: its host is the
master (spark://host:7077, yarn, or k8s://...), and spark-submit must be on the workers' PATH.

- beatline_daily runs `beatline run --as-of {{ ds }}` once a day, one date at a time
  (max_active_runs=1: Delta on S3 without a DynamoDB log store allows one writer per table, so
  two runs must never overlap). beatline exits with code 3 while the day's raw events have not
  landed; the task fails and Airflow retries it every 30 minutes for up to 12 hours. With
  catchup=True, dates the scheduler missed run in order once it is back; `airflow dags backfill`
  runs a range the same way:

      airflow dags backfill --start-date 2026-06-01 --end-date 2026-06-30 beatline_daily

- beatline_maintain runs `beatline maintain` once a week (Sunday 03:00): compaction of the
  partitions written since the last maintenance, VACUUM of files older than
  maintenance.retain-hours (default 168) that no version needs, checkpoints. It takes the lake
  lock like a run, so it never overlaps one: if the daily run holds the lock, the task fails
  and is retried an hour later.

- beatline_backfill runs `beatline run --from A --to B` as one Spark application (one session
  start for the whole range): trigger it with {"from": "2026-06-01", "to": "2026-06-30"}.
  Pause beatline_daily while it runs.

Exit codes (docs/operations.md): 0 ok; 1 job failure (see meta/pipeline_runs); 2 usage or
config error (retrying will not help: fix it, then clear the task); 3 input not landed yet.
SparkSubmitOperator sees only success or failure, so a config error is retried too; run
`beatline validate-config` in your deployment pipeline to catch those before they reach here.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = Variable.get("beatline_jar", default_var="/opt/beatline/beatline-jobs-cluster.jar")
CONFIG = Variable.get("beatline_config", default_var="/etc/beatline/application.conf")

# What scripts/spark-submit.sh sets: Delta's extension and catalog, s3a. s3a credentials come
# from the cluster's AWS chain or BEATLINE_S3_ACCESS_KEY / BEATLINE_S3_SECRET_KEY in env_vars.
SPARK_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.hadoop.fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    "spark.ui.showConsoleProgress": "false",
}

DEFAULT_ARGS = {
    "owner": "data-engineering",
    "depends_on_past": True,  # a date runs after the previous one succeeded
    "retries": 24,  # exit 3 (input not landed): retry every 30 minutes for 12 hours
    "retry_delay": timedelta(minutes=30),
}


def beatline_task(task_id: str, *beatline_args: str) -> SparkSubmitOperator:
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id="spark_default",
        application=JAR,
        java_class="io.beatline.cli.Beatline",
        name=f"beatline-{task_id}",
        conf=SPARK_CONF,
        application_args=[*beatline_args, "--config", CONFIG],
        executor_memory="4g",
        driver_memory="4g",
    )


with DAG(
    dag_id="beatline_daily",
    description="beatline: ingest, activity, engagement, KPIs, metrics, health, segments for one date",
    start_date=datetime(2026, 6, 1),
    schedule="0 6 * * *",  # after the day's files have landed; {{ ds }} is the day before the run
    catchup=True,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["beatline"],
) as daily:
    beatline_task("run", "run", "--as-of", "{{ ds }}")

with DAG(
    dag_id="beatline_maintain",
    description="beatline: compaction, VACUUM and checkpoints of every table of the lake",
    start_date=datetime(2026, 6, 1),
    schedule="0 3 * * 0",  # weekly, before the daily run of 06:00
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "depends_on_past": False, "retries": 6, "retry_delay": timedelta(hours=1)},
    tags=["beatline"],
) as maintain:
    beatline_task("maintain", "maintain")

with DAG(
    dag_id="beatline_backfill",
    description="beatline: every stage for each date from params.from to params.to",
    start_date=datetime(2026, 6, 1),
    schedule=None,
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "depends_on_past": False, "retries": 0},
    params={"from": "2026-06-01", "to": "2026-06-30"},
    tags=["beatline"],
) as backfill:
    beatline_task("run_range", "run", "--from", "{{ params['from'] }}", "--to", "{{ params['to'] }}")
