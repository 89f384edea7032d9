package io.lopq.spark.search;

import io.lopq.spark.common.StageApi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lopq.spark.common.TaskTimes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one search did and how fast: settings, work per query (candidates ranked, cells visited,
 * tables built), time per stage and throughput measured inside the job. Printed by the command and
 * written as JSON ({@link #toJson()}) with the results. Filled in by the job as it goes.
 *
 * <pre>
 *   search queries/s           = queries / (plan + search + rerank seconds)     (the search itself)
 *   job queries/s              = queries / all stages' seconds                  (reading and writing included)
 *   queries per core-second    = queries / task CPU seconds of plan + search + rerank
 * </pre>
 *
 * The last is the per-core throughput: executors' CPU time (Spark's task metrics) is what a task
 * really used, whatever else shares the machine.
 */
@StageApi
public final class SearchReport {
  /** Stage names, in order. */
  public static final String INDEX = "index", QUERIES = "queries", PLAN = "plan", SEARCH = "search",
      RERANK = "rerank", WRITE = "write";
  private static final List<String> SEARCH_STAGES = List.of(PLAN, SEARCH, RERANK);

  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final Map<String, Object> index = new LinkedHashMap<>();
  private final Map<String, Object> work = new LinkedHashMap<>();
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final Map<String, Double> stageCpuSeconds = new LinkedHashMap<>();
  private long queries;
  private Map<String, Object> blas;

  /** Sets the {@code blas} section (which BLAS the driver and executors use). */
  public SearchReport blas(Map<String, Object> section) {
    this.blas = section;
    return this;
  }

  /** Records a setting (k, candidates, plan, ...). */
  public SearchReport setting(String name, Object value) {
    settings.put(name, value);
    return this;
  }

  /** Records a fact about the index (rows, cells, ...). */
  public SearchReport indexFact(String name, Object value) {
    index.put(name, value);
    return this;
  }

  /** Records a work counter (candidates per query, tables built, ...). */
  public SearchReport workFact(String name, Object value) {
    work.put(name, value);
    return this;
  }

  /** Records the duration of a stage. */
  public SearchReport stage(String name, double seconds) {
    stageSeconds.merge(name, seconds, Double::sum);
    return this;
  }

  /** Records the wall-clock and task CPU seconds of a stage. */
  public SearchReport stage(TaskTimes.Timing timing) {
    return stage(timing.label(), timing.seconds()).stageCpu(timing.label(), timing.taskCpuSeconds());
  }

  /** Records the executors' CPU seconds of a stage's tasks. */
  public SearchReport stageCpu(String name, double seconds) {
    stageCpuSeconds.merge(name, seconds, Double::sum);
    return this;
  }

  /** Task CPU seconds of the search proper: planning, ADC search and re-ranking. */
  public double searchCpuSeconds() {
    double s = 0;
    for (String stage : SEARCH_STAGES) {
      s += stageCpuSeconds.getOrDefault(stage, 0.0);
    }
    return s;
  }

  /** Queries per second of task CPU in the search proper (the per-core throughput). */
  public double queriesPerCoreSecond() {
    double s = searchCpuSeconds();
    return s > 0 ? queries / s : 0;
  }

  /** Records the number of queries. */
  public SearchReport queries(long count) {
    this.queries = count;
    return this;
  }

  /** Number of queries. */
  public long queries() {
    return queries;
  }

  /** Seconds per stage, in the order they ran. */
  public Map<String, Double> stageSeconds() {
    return Collections.unmodifiableMap(stageSeconds);
  }

  /** A work counter, or null. */
  public Object work(String name) {
    return work.get(name);
  }

  /** A setting, or null. */
  public Object setting(String name) {
    return settings.get(name);
  }

  /** Seconds of the search proper: planning, ADC search and re-ranking. */
  public double searchSeconds() {
    double s = 0;
    for (String stage : SEARCH_STAGES) {
      s += stageSeconds.getOrDefault(stage, 0.0);
    }
    return s;
  }

  /** Seconds of all stages. */
  public double totalSeconds() {
    double s = 0;
    for (double v : stageSeconds.values()) {
      s += v;
    }
    return s;
  }

  /** Queries per second of the search proper. */
  public double searchQueriesPerSecond() {
    double s = searchSeconds();
    return s > 0 ? queries / s : 0;
  }

  /** Queries per second of the whole job. */
  public double jobQueriesPerSecond() {
    double s = totalSeconds();
    return s > 0 ? queries / s : 0;
  }

  /** Everything as an ordered map of JSON-ready values. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("queries", queries);
    map.put("settings", settings);
    map.put("index", index);
    map.put("work", work);
    map.put("stageSeconds", stageSeconds);
    map.put("stageTaskCpuSeconds", stageCpuSeconds);
    map.put("searchSeconds", searchSeconds());
    map.put("totalSeconds", totalSeconds());
    map.put("searchQueriesPerSecond", searchQueriesPerSecond());
    map.put("jobQueriesPerSecond", jobQueriesPerSecond());
    map.put("searchTaskCpuSeconds", searchCpuSeconds());
    map.put("queriesPerCoreSecond", queriesPerCoreSecond());
    if (blas != null) {
      map.put("blas", blas);
    }
    return map;
  }

  /** The report as pretty-printed JSON. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the search report as JSON", e);
    }
  }

  /** A few human-readable lines. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "searched %d queries: %.0f queries/s in the search (%.2f s), %.0f queries/s"
        + " for the whole job (%.2f s); %.0f queries per core-second (%.2f s of task CPU)", queries,
        searchQueriesPerSecond(), searchSeconds(), jobQueriesPerSecond(), totalSeconds(), queriesPerCoreSecond(),
        searchCpuSeconds()));
    lines.add("settings   " + settings);
    lines.add("index      " + index);
    lines.add("work       " + work);
    StringBuilder stages = new StringBuilder("stages    ");
    stageSeconds.forEach((name, s) -> stages.append(String.format(Locale.ROOT, " %s %.2f s,", name, s)));
    stages.setLength(stages.length() - 1);
    lines.add(stages.toString());
    StringBuilder cpu = new StringBuilder("task CPU  ");
    stageCpuSeconds.forEach((name, s) -> cpu.append(String.format(Locale.ROOT, " %s %.2f s,", name, s)));
    cpu.setLength(cpu.length() - 1);
    lines.add(cpu.toString());
    return lines;
  }
}
