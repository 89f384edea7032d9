package io.lopq.spark.common;

import io.lopq.math.blas.BlasInfo;
import io.lopq.math.blas.BlasSetup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;

/**
 * The {@code blas} section of every job's JSON report: which BLAS the driver uses and which each
 * executor reported at its start ({@link BlasPlugin}).
 *
 * <pre>
 *   "blas": { "driver": {implementation, bundled, library, threads, ...},
 *             "executors": { "0": {...}, "1": {...} } }       (absent in local mode: the driver runs the tasks)
 * </pre>
 */
public final class BlasReport {
  /** The driver's, as its plugin found it (a JVM runs one SparkContext at a time). */
  private static volatile Map<String, Object> driver;
  private static final Map<String, Map<String, Map<String, Object>>> EXECUTORS = new ConcurrentHashMap<>();

  private BlasReport() {}

  static void recordDriver(BlasInfo info) {
    driver = info.toMap();
  }

  /** The driver's BLAS as its plugin recorded it at start-up, if the plugin ran in this JVM. */
  public static Optional<Map<String, Object>> recordedDriver() {
    return Optional.ofNullable(driver);
  }

  static void recordExecutor(String applicationId, String executorId, Map<String, Object> info) {
    EXECUTORS.computeIfAbsent(applicationId, k -> new ConcurrentHashMap<>()).put(executorId, info);
  }

  /** The section for the application of {@code sc} (JSON-ready values). */
  public static Map<String, Object> section(SparkContext sc) {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("driver", recordedDriver().orElseGet(() -> BlasSetup.info(BlasPlugin.taskCpus(sc.conf())).toMap()));
    Map<String, Map<String, Object>> executors = EXECUTORS.get(sc.applicationId());
    if (executors != null && !executors.isEmpty()) {
      section.put("executors", new TreeMap<>(executors));
    }
    return section;
  }
}
