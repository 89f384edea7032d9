# Shared settings and helpers for scripts/cluster, scripts/submit, scripts/lib/spark-home and the
# developer tools under scripts/dev. Sourced, not executed. Every setting can be overridden from the
# environment.
#
#   LOPQ_CLUSTER_DIR   state of the local cluster (logs, pids, work, local dirs)   default <repo>/.cluster
#   LOPQ_SPARK_HOME    Spark "home" built from Maven by scripts/lib/spark-home      default $LOPQ_CLUSTER_DIR/spark-home
#   LOPQ_MASTER_PORT   master RPC port                                              default 7177
#   LOPQ_MASTER_WEBUI_PORT  master web UI (serves /json/, used to check workers)    default 8177
# While a cluster runs, $LOPQ_CLUSTER_DIR/cluster.env records the settings it was started with; they are the
# defaults of later commands (status, restart-worker, submit), so these need no repeated environment.
#
# SPARK_HOME is deliberately not read: a Spark distribution of another version installed on the machine
# must not leak into this project's cluster. Set LOPQ_SPARK_HOME to use another home.

LOPQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=jvm.sh
source "$LOPQ_ROOT/scripts/lib/jvm.sh"
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
# Written by scripts/lib/spark-home once every jar is in place; its absence means "not built (completely)".
LOPQ_SPARK_HOME_MARKER="$LOPQ_SPARK_HOME/.lopq-spark-home"

# Environment every Spark JVM of this project runs with.
export SPARK_HOME="$LOPQ_SPARK_HOME"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP="$LOPQ_HOST"
export SPARK_CONF_DIR="$LOPQ_CONF_DIR"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
# Prints the calling script's header comment (from line 2 to the first line that is not a comment).
lopq_usage() { sed -n '2,/^[^#]/ { /^#/ { s/^# \{0,1\}//; p; }; }' "$0"; }
info() { echo "$(basename "$0"): $*" >&2; }

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

# What a Spark home is built for: the versions and the pom listing its jars (the marker file holds it).
lopq_spark_home_fingerprint() {
  echo "spark=$(lopq_pom_property spark.version) scala=$(lopq_pom_property scala.binary.version)" \
    "pom=$(sha256sum "$LOPQ_ROOT/build/spark-home/pom.xml" | cut -c1-16)"
}

# Builds the Spark home with scripts/lib/spark-home when it is missing or incomplete (a fresh clone, an
# interrupted build), saying so first; its progress goes to stderr. A home built for other versions is
# kept (daemons may be running from it) with a warning naming the command that rebuilds it.
lopq_ensure_spark_home() {
  if [ ! -f "$LOPQ_SPARK_HOME_MARKER" ]; then
    info "no complete Spark home at $LOPQ_SPARK_HOME yet; building it from Maven (scripts/lib/spark-home:" \
      "~320 MB of jars, from ~/.m2 when it has them; done once)"
    "$LOPQ_ROOT/scripts/lib/spark-home" >&2 || die "could not build the Spark home (see above)"
  elif [ "$(cat "$LOPQ_SPARK_HOME_MARKER")" != "$(lopq_spark_home_fingerprint)" ]; then
    info "warning: the Spark home at $LOPQ_SPARK_HOME was built for $(cat "$LOPQ_SPARK_HOME_MARKER")," \
      "the pom now says $(lopq_spark_home_fingerprint); rebuild it with scripts/lib/spark-home" \
      "(after scripts/cluster stop)"
  fi
}

# Builds the project (mvn -q -B -DskipTests package) when the job jar or the launcher's class path is
# missing, saying so first. Sources newer than the jar only draw a warning (rebuilding is the user's call).
lopq_ensure_built() {
  local job_jar
  job_jar=$(lopq_job_jar)
  if [ ! -f "$job_jar" ] || [ ! -f "$LOPQ_ROOT/target/spark/classpath.txt" ]; then
    command -v mvn >/dev/null 2>&1 || die "$job_jar is missing and mvn is not on PATH to build it; install Maven 3.8+"
    info "the project is not built yet; building it (mvn -q -B -DskipTests package in $LOPQ_ROOT, a minute or two)"
    # shellcheck disable=SC2086  # LOPQ_MVN_OPTS is a list of flags
    (cd "$LOPQ_ROOT" && mvn -q -B ${LOPQ_MVN_OPTS:-} -DskipTests package) >&2 || die "the build failed (see above)"
  elif [ -n "$(find "${LOPQ_MAIN_SOURCES[@]}" -newer "$job_jar" -type f -print -quit 2>/dev/null)" ]; then
    info "warning: sources under src/ are newer than $job_jar; rebuild with: mvn -q -B -DskipTests package"
  fi
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
