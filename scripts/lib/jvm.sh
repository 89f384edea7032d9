# How the project's scripts start a JVM: the flags Spark needs, and a launcher that keeps the
# incubator-module warning off users' terminals. Sourced (by scripts/lopq, scripts/lib/common.sh and the
# developer tools), not executed; expects LOPQ_ROOT to name the checkout.

# The line every JVM started with conf/jvm-flags prints on stderr before anything else. The module
# (--add-modules=jdk.incubator.vector) stays: netlib's VectorBLAS uses it. Java 17 has no switch for the
# warning, so lopq_run_java removes exactly this line from the JVM's stderr.
LOPQ_INCUBATOR_WARNING='WARNING: Using incubator modules: jdk.incubator.vector'

# Prints the JVM flags Spark needs (conf/jvm-flags without comments and blank lines), one per line.
lopq_jvm_flags() {
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$LOPQ_ROOT/conf/jvm-flags"
}

# Local-mode heap when LOPQ_DRIVER_MEMORY is not set: a third of the machine's RAM, at most half of what is
# available now (other programs keep theirs), at least LOPQ_MIN_HEAP_MB and at most LOPQ_MAX_HEAP_MB, in
# whole 256 MiB. Every job's working set is bounded by its settings, not by the rows (docs/MEMORY.md): a
# larger heap only caches more before spilling to disk.
LOPQ_MIN_HEAP_MB=1024
LOPQ_MAX_HEAP_MB=16384
LOPQ_HEAP_STEP_MB=256

# Prints the heap for a local-mode JVM ("7936m") and, on a second line, why (for the user).
# Reads /proc/meminfo (MemTotal, MemAvailable); without it, the minimum.
lopq_local_heap() {
  local total_kb available_kb mb why
  total_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || true)
  available_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || true)
  if [[ -z "$total_kb" ]]; then
    echo "${LOPQ_MIN_HEAP_MB}m"
    echo "the minimum (no /proc/meminfo)"
    return
  fi
  available_kb=${available_kb:-$total_kb}
  mb=$(( total_kb / 3 / 1024 ))
  why="a third of $(( total_kb / 1024 )) MiB RAM"
  if (( available_kb / 2 / 1024 < mb )); then
    mb=$(( available_kb / 2 / 1024 ))
    why="half of the $(( available_kb / 1024 )) MiB available"
  fi
  if (( mb > LOPQ_MAX_HEAP_MB )); then
    mb=$LOPQ_MAX_HEAP_MB
    why="$why, capped"
  fi
  mb=$(( mb / LOPQ_HEAP_STEP_MB * LOPQ_HEAP_STEP_MB ))
  if (( mb < LOPQ_MIN_HEAP_MB )); then
    mb=$LOPQ_MIN_HEAP_MB
    why="the minimum ($why is less)"
  fi
  echo "${mb}m"
  echo "$why"
}

# G1 settings for a local-mode heap of at least 2 GiB, so that the resident size follows the live data and not
# the run's length (docs/MEMORY.md, "G1 settings of the launcher"):
#   - the young generation capped at a quarter of the heap, at most LOPQ_YOUNG_MAX_MB. Without it G1 sizes
#     the young generation up to 60% of whatever heap it has committed, and commits more whenever its pauses
#     took more than ~8% of the wall time (GCTimeRatio), as they do on a busy machine; it gives that back
#     only after a concurrent cycle or a full GC, so the committed heap ratchets up over a long run.
#   - regions of LOPQ_REGION_MB. G1 allocates an array of half a region or more as a "humongous" object in
#     whole regions outside the young generation, where the young cap does not bound it and only some
#     collections free it; with the default 4 MiB regions of a 4-8 GiB heap, every 4096-row block of 128-d
#     floats (2 MiB + header) was one, and short-lived blocks piled up as humongous garbage (1.1 GB seen in
#     train). With 8 MiB regions, arrays under 4 MiB (a 4096-row block of up to 255 floats per row) are
#     ordinary young objects.
# Smaller heaps keep the JVM's defaults: they bound the resident size themselves.
LOPQ_YOUNG_MAX_MB=1024
LOPQ_REGION_MB=8

# Prints the JVM flags above for heap HEAP ("7936m", "8g", "4096M"; as -Xmx reads it), one per line, or
# nothing for a heap under 2 GiB or one it cannot read (the JVM's defaults then stay).
lopq_gc_flags() {
  local heap=$1 mb young
  [[ "$heap" =~ ^([0-9]+)([kKmMgG])$ ]] || return 0
  case "${BASH_REMATCH[2]}" in
    [gG]) mb=$(( BASH_REMATCH[1] * 1024 )) ;;
    [mM]) mb=$(( BASH_REMATCH[1] )) ;;
    *) mb=$(( BASH_REMATCH[1] / 1024 )) ;;
  esac
  (( mb >= 2048 )) || return 0
  young=$(( mb / 4 ))
  (( young <= LOPQ_YOUNG_MAX_MB )) || young=$LOPQ_YOUNG_MAX_MB
  echo "-XX:MaxNewSize=${young}m"
  echo "-XX:G1HeapRegionSize=${LOPQ_REGION_MB}m"
}

# Runs COMMAND [ARGS...] (a java command line) and returns its exit status, with the one line
# $LOPQ_INCUBATOR_WARNING removed from its stderr:
#   - every other stderr line passes through unchanged as soon as it is complete (line-buffered, so
#     stderr and stdout keep their order line by line); stdin and stdout are the JVM's own;
#   - TERM, INT and HUP sent to the script are passed on to the JVM as TERM (its shutdown hooks run), so
#     a supervisor, `timeout` or Ctrl-C stops it as if the script had exec'd it;
#   - it returns only after the filter has written the JVM's last line, so whoever waits for the script
#     has all of the output.
LOPQ_JAVA_PID=""
lopq_run_java() {
  local filtered filter_pid status saved_traps
  saved_traps=$(trap -p TERM INT HUP)
  # The filter ignores the signals, so that it outlives a JVM stopped by one (timeout and Ctrl-C signal the
  # whole process group) and passes on the JVM's last words; it ends when the JVM's stderr closes.
  exec {filtered}> >(trap '' TERM INT HUP; exec grep --line-buffered -v -x -F -e "$LOPQ_INCUBATOR_WARNING" >&2)
  filter_pid=$!
  # Started in the background so that the trap below runs at once on a signal (bash runs traps only
  # between commands, and `wait` is one); `<&0` keeps the script's stdin (a background job would get
  # /dev/null).
  "$@" <&0 2>&"$filtered" &
  LOPQ_JAVA_PID=$!
  exec {filtered}>&-
  trap 'kill -TERM "$LOPQ_JAVA_PID" 2>/dev/null' TERM INT HUP
  while :; do
    status=0
    wait "$LOPQ_JAVA_PID" || status=$?
    # `wait` also returns when a trapped signal arrives; the JVM is reaped (gone) only when it ended.
    kill -0 "$LOPQ_JAVA_PID" 2>/dev/null || break
  done
  trap - TERM INT HUP
  eval "$saved_traps"
  wait "$filter_pid" 2>/dev/null || true
  return "$status"
}
