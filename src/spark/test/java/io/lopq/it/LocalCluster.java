package io.lopq.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark standalone cluster of the integration suite, run by the project's own
 * {@code scripts/cluster}: a master and {@value #WORKERS} workers of one core and
 * {@value #WORKER_MEMORY} each, on free ports away from the defaults, with all state under
 * {@code target/it/cluster}. One cluster serves the whole suite ({@link ClusterExtension} starts it
 * once and closes it when the test plan ends); a JVM shutdown hook stops it if the run is cut short.
 *
 * <p>The Spark home comes from {@code LOPQ_SPARK_HOME} (environment) or {@code -Dlopq.spark.home} when
 * set, else {@code <project>/.cluster/spark-home}; {@code scripts/lib/spark-home} builds it from Maven if
 * it is missing (a no-op when complete).
 */
final class LocalCluster implements AutoCloseable {
  static final int WORKERS = 2;
  static final String WORKER_MEMORY = "1g";
  /** Heap of spark-submit drivers started by the tests. */
  static final String DRIVER_MEMORY = "1g";
  /** First port tried for the cluster's block (master RPC). */
  static final int FIRST_PORT = 7420;
  /** Port block: master, workers, master UI, worker UIs, then driver UIs for runs that need one. */
  private static final int MASTER = 0;
  private static final int WORKER_BASE = 1;
  private static final int MASTER_UI = WORKER_BASE + WORKERS;
  private static final int WORKER_UI_BASE = MASTER_UI + 1;
  private static final int DRIVER_UI_BASE = WORKER_UI_BASE + WORKERS;
  private static final int DRIVER_UIS = 8;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
  private static final String START_TIMEOUT_SECONDS = "240";

  private final PortBlock ports;
  private final Path clusterDir;
  private final Path sparkHome;
  private final Thread shutdownHook;
  private int nextDriverUi;
  private boolean running;

  private LocalCluster(PortBlock ports, Path clusterDir, Path sparkHome) {
    this.ports = ports;
    this.clusterDir = clusterDir;
    this.sparkHome = sparkHome;
    this.shutdownHook = new Thread(this::stopQuietly, "lopq-it-cluster-stop");
  }

  /** Builds the Spark home if needed, starts the cluster, and waits until every worker registered. */
  static LocalCluster start() {
    Path clusterDir = Project.workDir("cluster");
    LocalCluster cluster = new LocalCluster(
        PortBlock.findFree(Integer.getInteger("lopq.it.port", FIRST_PORT), DRIVER_UI_BASE + DRIVER_UIS),
        clusterDir, sparkHome());
    SparkHome.ensure(cluster.sparkHome);
    // Leftovers of an earlier, aborted run (same cluster folder): scripts/cluster stop ends them.
    ExternalProcess.script("cluster", "stop").env(cluster.environment()).timeout(Duration.ofMinutes(2)).run();
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    cluster.running = true;
    ExternalProcess.Result started = ExternalProcess.script("cluster", "start")
        .env(cluster.environment())
        .log(clusterDir.resolve("start.log"))
        .timeout(START_TIMEOUT)
        .run();
    if (started.exitCode() != 0) {
      cluster.close();
      started.assertSuccess();
    }
    System.out.printf("[it] cluster %s up in %d s (workers %d x 1 core x %s)%n", cluster.masterUrl(),
        started.elapsed().toSeconds(), WORKERS, WORKER_MEMORY);
    return cluster;
  }

  private static Path sparkHome() {
    String configured = System.getenv("LOPQ_SPARK_HOME");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("lopq.spark.home");
    }
    if (configured == null || configured.isBlank()) {
      return Project.root().resolve(".cluster").resolve("spark-home");
    }
    return Path.of(configured).toAbsolutePath();
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + ports.port(MASTER);
  }

  int masterUiPort() {
    return ports.port(MASTER_UI);
  }

  Path clusterDir() {
    return clusterDir;
  }

  /** A port for one driver's UI (REST API), cycling through the block's spare ports. */
  synchronized int driverUiPort() {
    int port = ports.port(DRIVER_UI_BASE + nextDriverUi);
    nextDriverUi = (nextDriverUi + 1) % DRIVER_UIS;
    return port;
  }

  /** The variables every script of this cluster runs with (ports, folders, sizes). */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOPQ_CLUSTER_DIR", clusterDir.toString());
    env.put("LOPQ_SPARK_HOME", sparkHome.toString());
    env.put("LOPQ_MASTER_PORT", Integer.toString(ports.port(MASTER)));
    env.put("LOPQ_MASTER_WEBUI_PORT", Integer.toString(ports.port(MASTER_UI)));
    env.put("LOPQ_WORKER_PORT_BASE", Integer.toString(ports.port(WORKER_BASE)));
    env.put("LOPQ_WORKER_WEBUI_PORT_BASE", Integer.toString(ports.port(WORKER_UI_BASE)));
    env.put("LOPQ_WORKERS", Integer.toString(WORKERS));
    env.put("LOPQ_WORKER_CORES", "1");
    env.put("LOPQ_WORKER_MEMORY", WORKER_MEMORY);
    env.put("LOPQ_START_TIMEOUT", START_TIMEOUT_SECONDS);
    env.put("LOPQ_DRIVER_MEMORY", DRIVER_MEMORY);
    // A Spark distribution installed on the machine must not leak in (scripts ignore it anyway).
    env.put("SPARK_HOME", null);
    return env;
  }

  /** A job of {@code jobs/} to run with {@code scripts/submit} on this cluster. */
  SparkJob job(String name) {
    return new SparkJob(this, name);
  }

  MasterState state() {
    return MasterState.fetch(masterUiPort());
  }

  /** SIGKILLs worker {@code n} and its executors ({@code scripts/cluster kill-worker N}). */
  void killWorker(int n) {
    ExternalProcess.script("cluster", "kill-worker", Integer.toString(n)).env(environment())
        .timeout(Duration.ofMinutes(1)).run().assertSuccess();
  }

  /** Starts worker {@code n} again and waits for its registration. */
  void restartWorker(int n) {
    ExternalProcess.script("cluster", "restart-worker", Integer.toString(n)).env(environment())
        .timeout(START_TIMEOUT).run().assertSuccess();
  }

  /** Restarts any worker that is not registered ALIVE, so every test starts with the full cluster. */
  void ensureAllWorkers() {
    if (state().aliveWorkers() == WORKERS) {
      return;
    }
    for (int n = 1; n <= WORKERS; n++) {
      int port = ports.port(WORKER_BASE + n - 1);
      boolean alive = state().workers().stream().anyMatch(w -> w.port() == port && w.state().equals("ALIVE"));
      if (!alive) {
        restartWorker(n);
      }
    }
  }

  /** The scripts' status output (for failure messages). */
  String status() {
    return ExternalProcess.script("cluster", "status").env(environment()).timeout(Duration.ofMinutes(1)).run().output();
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }

  private synchronized void stopQuietly() {
    if (!running) {
      return;
    }
    running = false;
    ExternalProcess.Result stopped = ExternalProcess.script("cluster", "stop").env(environment())
        .log(clusterDir.resolve("stop.log")).timeout(Duration.ofMinutes(2)).run();
    System.out.printf("[it] cluster stopped (exit %d): %s%n", stopped.exitCode(), stopped.output().strip());
  }

  /** The Spark home: present and complete, or built by scripts/lib/spark-home. */
  static final class SparkHome {
    private SparkHome() {}

    /**
     * Runs scripts/lib/spark-home for the project's own home (a no-op when complete for the pom's
     * versions); a home given from outside is only checked for completeness, never rebuilt.
     */
    static void ensure(Path home) {
      boolean own = home.equals(Project.root().resolve(".cluster").resolve("spark-home"));
      if (!own) {
        if (!Files.isRegularFile(home.resolve(".lopq-spark-home"))) {
          throw new IllegalStateException("the Spark home " + home + " (LOPQ_SPARK_HOME) is not complete;"
              + " build it with: LOPQ_SPARK_HOME=" + home + " scripts/lib/spark-home");
        }
        return;
      }
      ExternalProcess.Result built = ExternalProcess.script("lib/spark-home")
          .env("LOPQ_SPARK_HOME", home.toString())
          .log(Project.workDir("logs").resolve("spark-home.log"))
          .timeout(Duration.ofMinutes(15))
          .run();
      built.assertSuccess();
      System.out.printf("[it] Spark home built at %s in %d s%n", home, built.elapsed().toSeconds());
    }
  }
}
