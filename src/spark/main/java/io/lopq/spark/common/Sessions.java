package io.lopq.spark.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the {@link SparkSession} of a command-line job.
 *
 * <ul>
 *   <li>Master: the one asked for; else the one {@code spark-submit} set (the {@code spark.master}
 *       system property); else {@value #DEFAULT_MASTER}.
 *   <li>Kryo serialization.
 *   <li>BLAS: the {@link BlasPlugin} (added to any {@code spark.plugins} already set), and executors'
 *       BLAS single-threaded ({@link #SINGLE_THREAD_VARIABLES} = 1 in {@code spark.executorEnv.*},
 *       unless set): Spark runs one task per core already.
 *   <li>{@link StageProgress} among {@code spark.extraListeners}: long stages log their progress.
 *   <li>Chunks of serialized cached blocks of {@value #UNROLL_MEMORY_THRESHOLD} bytes
 *       ({@code spark.storage.unrollMemoryThreshold}, Spark's default 1m), unless the JVM's system
 *       properties set it: under half of G1's smallest region (1 MiB), so that a chunk is not a
 *       humongous object taking twice its size ({@link Storage}).
 *   <li>The unrolled size of a block being cached checked after every value
 *       ({@code spark.storage.unrollMemoryCheckPeriod} {@value #UNROLL_MEMORY_CHECK_PERIOD}, Spark's
 *       default 16), unless the JVM's system properties set it: our values are whole blocks of rows
 *       (a {@link VectorBlock} of 4096 x 128 floats is 2 MiB), so 16 of them put 32 MiB per block
 *       being cached on the heap before Spark asks for the memory (and, for a block that then goes
 *       to disk, until its task ends: docs/MEMORY.md). Checking a serialized block's size is
 *       reading a counter.
 *   <li>For a local master: driver bound to {@value #LOOPBACK_ADDRESS} (else Spark binds to the
 *       machine's outside address), and few shuffle partitions
 *       ({@value #LOCAL_SHUFFLE_PARTITIONS_PER_THREAD} per local thread instead of Spark's 200, which
 *       only add overhead on one machine).
 * </ul>
 *
 * Callers add their own settings to the returned builder (e.g. {@code spark.ui.enabled=false} in
 * tests).
 */
public final class Sessions {
  /** The master when none is given: all local cores. */
  public static final String DEFAULT_MASTER = "local[*]";
  /** Address a local driver binds to. */
  public static final String LOOPBACK_ADDRESS = "127.0.0.1";
  /** Spark's Kryo serializer class. */
  public static final String KRYO_SERIALIZER = "org.apache.spark.serializer.KryoSerializer";
  /** Spark's chunk size of serialized cached blocks (and first unroll reservation), bytes: 256 KiB. */
  public static final String UNROLL_MEMORY_THRESHOLD = "262144";
  /** The setting {@link #UNROLL_MEMORY_THRESHOLD} is the value of. */
  static final String UNROLL_MEMORY_THRESHOLD_KEY = "spark.storage.unrollMemoryThreshold";
  /** Values cached between two checks of the memory a block being cached has unrolled: every one. */
  public static final String UNROLL_MEMORY_CHECK_PERIOD = "1";
  /** The setting {@link #UNROLL_MEMORY_CHECK_PERIOD} is the value of. */
  static final String UNROLL_MEMORY_CHECK_PERIOD_KEY = "spark.storage.unrollMemoryCheckPeriod";
  /** Spark's listeners created with the context; {@link StageProgress} is added to those given. */
  static final String EXTRA_LISTENERS_KEY = "spark.extraListeners";
  /** Shuffle partitions per local thread. */
  public static final int LOCAL_SHUFFLE_PARTITIONS_PER_THREAD = 2;

  /** Spark's setting listing plugin classes. */
  public static final String PLUGINS = "spark.plugins";
  /** The thread-count variables of OpenBLAS (pthreads and OpenMP builds) and MKL. */
  public static final java.util.List<String> SINGLE_THREAD_VARIABLES =
      java.util.List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS");
  private static final String EXECUTOR_ENV = "spark.executorEnv.";

  /** Spark's system property for the master, set by {@code spark-submit}. */
  private static final String MASTER_PROPERTY = "spark.master";
  /** local, local[N], local[*], local[N,F], local[*,F]. */
  private static final Pattern LOCAL_MASTER = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?\\])?");

  private Sessions() {}

  /** The session for {@code master} (null or blank: see the class comment) named {@code appName}. */
  public static SparkSession getOrCreate(String master, String appName) {
    return builder(master, appName).getOrCreate();
  }

  /** A builder with the settings above; call {@code getOrCreate()} after adding your own. */
  public static SparkSession.Builder builder(String master, String appName) {
    if (appName == null || appName.isBlank()) {
      throw new IllegalArgumentException("application name is empty");
    }
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    settings(master).forEach(builder::config);
    return builder;
  }

  /** The settings {@link #builder} applies for {@code master} (null or blank: resolved as above). */
  public static Map<String, String> settings(String master) {
    String resolved = resolveMaster(master);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.master", resolved);
    settings.put("spark.serializer", KRYO_SERIALIZER);
    settings.put(PLUGINS, withBlasPlugin(System.getProperty(PLUGINS)));
    for (String variable : SINGLE_THREAD_VARIABLES) {
      String key = EXECUTOR_ENV + variable;
      if (System.getProperty(key) == null) {
        settings.put(key, "1");
      }
    }
    String listeners = System.getProperty(EXTRA_LISTENERS_KEY);
    String progress = StageProgress.class.getName();
    settings.put(EXTRA_LISTENERS_KEY, listeners == null || listeners.isBlank() ? progress
        : listeners.contains(progress) ? listeners : listeners + "," + progress);
    if (System.getProperty(UNROLL_MEMORY_THRESHOLD_KEY) == null) {
      settings.put(UNROLL_MEMORY_THRESHOLD_KEY, UNROLL_MEMORY_THRESHOLD);
    }
    if (System.getProperty(UNROLL_MEMORY_CHECK_PERIOD_KEY) == null) {
      settings.put(UNROLL_MEMORY_CHECK_PERIOD_KEY, UNROLL_MEMORY_CHECK_PERIOD);
    }
    if (isLocal(resolved)) {
      settings.put("spark.driver.host", LOOPBACK_ADDRESS);
      settings.put("spark.driver.bindAddress", LOOPBACK_ADDRESS);
      settings.put("spark.sql.shuffle.partitions",
          String.valueOf(LOCAL_SHUFFLE_PARTITIONS_PER_THREAD * localThreads(resolved)));
    }
    return settings;
  }

  /** {@code plugins} (a comma-separated list, or null) with {@link BlasPlugin} added unless listed. */
  static String withBlasPlugin(String plugins) {
    String ours = BlasPlugin.class.getName();
    if (plugins == null || plugins.isBlank()) {
      return ours;
    }
    for (String p : plugins.split(",")) {
      if (p.strip().equals(ours)) {
        return plugins;
      }
    }
    return plugins + "," + ours;
  }

  /** The master to use: {@code requested} if given, else spark-submit's, else the default. */
  public static String resolveMaster(String requested) {
    if (requested != null && !requested.isBlank()) {
      return requested.strip();
    }
    String submitted = System.getProperty(MASTER_PROPERTY);
    return submitted != null && !submitted.isBlank() ? submitted.strip() : DEFAULT_MASTER;
  }

  /** True for the in-process masters {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}. */
  public static boolean isLocal(String master) {
    return LOCAL_MASTER.matcher(master).matches();
  }

  /** Worker threads of a local master ({@code local[*]}: the available processors). */
  public static int localThreads(String master) {
    Matcher m = LOCAL_MASTER.matcher(master);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a local master: " + master);
    }
    String threads = m.group(1);
    if (threads == null) {
      return 1;
    }
    return threads.equals("*") ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(threads));
  }
}
