#!/usr/bin/env bash
# Submits beatline's cluster jar to a Spark 4.1 (Scala 2.13) cluster with the settings Delta and
# s3a need. Options before `--` go to spark-submit; what follows `--` is the beatline command.
#
#   SPARK_HOME=/opt/spark scripts/spark-submit.sh --master spark://spark-master:7077 \
#     --executor-memory 4g -- run --as-of 2026-06-30 --config /etc/beatline/application.conf
#
#   scripts/spark-submit.sh --master yarn --deploy-mode cluster --files application.conf \
#     -- run --as-of 2026-06-30 --config application.conf
#
# BEATLINE_JAR overrides the jar (default: jobs/target/beatline-jobs-cluster.jar, built by
# `mvn -DskipTests package`). s3a credentials come from BEATLINE_S3_ACCESS_KEY and
# BEATLINE_S3_SECRET_KEY (read by beatline itself, never put on the command line) or the
# cluster's own AWS credential chain. Exit code: beatline's (0, 1, 2 or 3; see docs/operations.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${BEATLINE_JAR:-$root/jobs/target/beatline-jobs-cluster.jar}"
submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"

spark_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  spark_options+=("$1")
  shift
done
if [ $# -eq 0 ]; then
  echo "usage: scripts/spark-submit.sh [spark-submit options] -- <beatline command>, e.g. -- run --as-of 2026-06-30" >&2
  exit 2
fi
shift # the --
if [ ! -f "$jar" ]; then
  echo "spark-submit.sh: $jar is missing; build it with: mvn -B -ntp -DskipTests package" >&2
  exit 2
fi

exec "$submit" \
  --class io.beatline.cli.Beatline \
  --name "beatline ${1:-}" \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  --conf spark.hadoop.fs.s3a.impl=org.apache.hadoop.fs.s3a.S3AFileSystem \
  --conf spark.sql.parquet.compression.codec=snappy \
  --conf spark.ui.showConsoleProgress=false \
  ${spark_options[@]+"${spark_options[@]}"} \
  "$jar" "$@"
