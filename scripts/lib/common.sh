# Shared settings and helpers for scripts/spark-home, scripts/cluster and scripts/submit.
# Sourced, not executed. Every setting can be overridden from the environment.
#
#   LOPQ_CLUSTER_DIR   state of the local cluster (logs, pids, work, local dirs)   default <repo>/.cluster
#   LOPQ_SPARK_HOME    Spark "home" built from Maven by scripts/spark-home          default $LOPQ_CLUSTER_DIR/spark-home
#   LOPQ_MASTER_PORT   master RPC port                                              default 7177
#   LOPQ_MASTER_WEBUI_PORT  master web UI (serves /json/, used to check workers)    default 8177
# While a cluster runs, $LOPQ_CLUSTER_DIR/cluster.env records the settings it was started with; they are the
# defaults of later commands (status, restart-worker, submit), so these need no repeated environment.
#
# SPARK_HOME is deliberately not read: a Spark distribution of another version installed on the machine
# must not leak into this project's cluster. Set LOPQ_SPARK_HOME to use another home.

LOPQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOPQ_CONF_DIR="$LOPQ_ROOT/conf"
LOPQ_CLUSTER_DIR="${LOPQ_CLUSTER_DIR:-$LOPQ_ROOT/.cluster}"
LOPQ_SPARK_HOME="${LOPQ_SPARK_HOME:-$LOPQ_CLUSTER_DIR/spark-home}"
LOPQ_CLUSTER_ENV="$LOPQ_CLUSTER_DIR/cluster.env"
# shellcheck source=/dev/null
[ -f "$LOPQ_CLUSTER_ENV" ] && source "$LOPQ_CLUSTER_ENV"
LOPQ_HOST=127.0.0.1
LOPQ_MASTER_PORT="${LOPQ_MASTER_PORT:-${LOPQ_CLUSTER_MASTER_PORT:-7177}}"
LOPQ_MASTER_WEBUI_PORT="${LOPQ_MASTER_WEBUI_PORT:-${LOPQ_CLUSTER_MASTER_WEBUI_PORT:-8177}}"
LOPQ_LOCAL_MASTER_URL="spark://$LOPQ_HOST:$LOPQ_MASTER_PORT"
LOPQ_MASTER_JSON_URL="http://$LOPQ_HOST:$LOPQ_MASTER_WEBUI_PORT/json/"
# Written by scripts/spark-home once every jar is in place; its absence means "not built (completely)".
LOPQ_SPARK_HOME_MARKER="$LOPQ_SPARK_HOME/.lopq-spark-home"

# Environment every Spark JVM of this project runs with.
export SPARK_HOME="$LOPQ_SPARK_HOME"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP="$LOPQ_HOST"
export SPARK_CONF_DIR="$LOPQ_CONF_DIR"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
info() { echo "$(basename "$0"): $*" >&2; }

# Prints the JVM flags Spark needs (conf/jvm-flags without comments), one per line.
lopq_jvm_flags() {
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$LOPQ_CONF_DIR/jvm-flags"
}

# Reads a <property> of the project pom (e.g. spark.version), so versions live in one place.
lopq_pom_property() {
  local value
  value=$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$LOPQ_ROOT/pom.xml" | head -n 1)
  [ -n "$value" ] || die "property <$1> not found in $LOPQ_ROOT/pom.xml"
  echo "$value"
}

# The job jar for spark-submit (our classes and our own dependencies, no Spark), built by mvn package.
lopq_job_jar() {
  echo "$LOPQ_ROOT/target/spark/lopq-spark-$(lopq_pom_property version)-job.jar"
}

# The main sources the job jar is built from (for "is the jar older than the sources?" checks).
LOPQ_MAIN_SOURCES=("$LOPQ_ROOT/src/core/main" "$LOPQ_ROOT/src/spark/main")

# Fails with the command to run when the Spark home is missing or incomplete.
lopq_require_spark_home() {
  [ -f "$LOPQ_SPARK_HOME_MARKER" ] ||
    die "no complete Spark home at $LOPQ_SPARK_HOME; build it first with: scripts/spark-home"
}

# Classpath of a Spark JVM: conf/ first (log4j2.properties), then every Spark jar.
lopq_spark_classpath() {
  echo "$LOPQ_CONF_DIR:$LOPQ_SPARK_HOME/jars/*"
}

# The master's state as JSON (workers, applications), from its web UI; fails when the master does not answer.
lopq_master_json() {
  curl -sf --max-time 3 "$LOPQ_MASTER_JSON_URL"
}

# Number of workers the master reports ALIVE (0 when the master does not answer).
lopq_alive_workers() {
  local json count
  json=$(lopq_master_json) || { echo 0; return; }
  count=$(tr -d ' \n' <<<"$json" | sed -n 's/.*"aliveworkers":\([0-9]*\).*/\1/p')
  echo "${count:-0}"
}
