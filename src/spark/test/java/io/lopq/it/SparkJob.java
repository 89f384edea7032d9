package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One run of a job definition ({@code jobs/NAME.conf}) through {@code scripts/submit}, i.e. a real
 * spark-submit JVM in client mode against the {@link LocalCluster} (or, with {@link #local()}, Spark
 * in the driver JVM: {@code local[2]}). Paths and parameters go in as the job files' LOPQ_*
 * variables, extra CLI flags as arguments, Spark settings through {@code LOPQ_SPARK_CONF}.
 *
 * <p>A run is judged by three things: the CLI's exit code, the application's final state at the
 * master ({@link Outcome#assertSucceeded()} wants FINISHED), and — in the tests — the output itself.
 */
final class SparkJob {
  /** The master of local runs. */
  static final String LOCAL_MASTER = "local[2]";
  /** How long to wait for the master to list a finished application as completed. */
  private static final Duration APP_LISTING_TIMEOUT = Duration.ofSeconds(60);
  /** How long to look for the application of a driver that exited while none is listed. */
  private static final Duration UNREGISTERED_GRACE = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(200);

  private final LocalCluster cluster;
  private final String name;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  private final List<String> sparkConf = new ArrayList<>();
  private boolean local;
  private Integer driverUiPort;
  private Duration timeout = ExternalProcess.DEFAULT_TIMEOUT;
  private String label;

  SparkJob(LocalCluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
    this.label = name;
  }

  /** Sets a variable of the job files (LOPQ_MODEL, LOPQ_BASE, LOPQ_K, ...) or of scripts/submit. */
  SparkJob env(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  /** Sets a path variable of the job files to a local path. */
  SparkJob env(String variable, Path value) {
    return env(variable, value.toString());
  }

  /** Extra CLI arguments, appended to the job file's. */
  SparkJob args(String... more) {
    args.addAll(List.of(more));
    return this;
  }

  /** Extra Spark settings {@code spark.key=value}. */
  SparkJob sparkConf(String... settings) {
    sparkConf.addAll(List.of(settings));
    return this;
  }

  /** Runs with {@value #LOCAL_MASTER} in the driver JVM instead of on the cluster. */
  SparkJob local() {
    this.local = true;
    return this;
  }

  /** Turns the driver's UI on at a free port of the cluster's block, for its REST API. */
  SparkJob withDriverUi() {
    this.driverUiPort = cluster.driverUiPort();
    return sparkConf("spark.ui.enabled=true", "spark.ui.port=" + driverUiPort, "spark.port.maxRetries=0");
  }

  /** A name for the log file (default: the job's name). */
  SparkJob label(String value) {
    this.label = value;
    return this;
  }

  SparkJob timeout(Duration value) {
    this.timeout = value;
    return this;
  }

  /** Starts spark-submit and returns at once. */
  Running start() {
    Set<String> before = local ? Set.of() : new HashSet<>(cluster.state().appIds());
    Map<String, String> environment = new LinkedHashMap<>(cluster.environment());
    environment.put("LOPQ_DATA", Project.workDir("data").toString());
    environment.put("LOPQ_MASTER", local ? LOCAL_MASTER : cluster.masterUrl());
    environment.putAll(env);
    List<String> settings = new ArrayList<>(sparkConf);
    if (!local) {
      // Event logs (uncompressed JSON) show how many tasks ran where: EventLog, Outcome.eventLog().
      settings.addAll(0, List.of(EventLog.settings(eventLogDir())));
      // Start tasks only once both executors are there, so work is spread over the cluster.
      settings.add(0, "spark.scheduler.minRegisteredResourcesRatio=1.0");
    }
    if (!settings.isEmpty()) {
      environment.put("LOPQ_SPARK_CONF", String.join(" ", settings));
    }
    Path log = Project.workDir("logs").resolve(label + (local ? "-local" : "-cluster") + "-" + System.currentTimeMillis() + ".log");
    ExternalProcess.Running process = ExternalProcess.script("submit", name)
        .args(args.toArray(String[]::new))
        .env(environment)
        .log(log)
        .timeout(timeout)
        .start();
    return new Running(process, before);
  }

  /** Runs to the end and returns the outcome (not yet checked). */
  Outcome run() {
    return start().await();
  }

  /** Runs to the end and fails unless it succeeded (exit 0, application FINISHED). */
  Outcome runSuccessfully() {
    return run().assertSucceeded();
  }

  /** A spark-submit that is running. */
  final class Running {
    private final ExternalProcess.Running process;
    private final Set<String> appsBefore;

    private Running(ExternalProcess.Running process, Set<String> appsBefore) {
      this.process = process;
      this.appsBefore = appsBefore;
    }

    ExternalProcess.Running process() {
      return process;
    }

    /** The spark-submit JVM (the driver, in client mode): a child of scripts/submit. */
    Optional<ProcessHandle> driverJvm() {
      return process.descendant("org.apache.spark.deploy.SparkSubmit");
    }

    /** Waits until the master lists this run's application as running and returns its id. */
    String awaitApplication(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<MasterState.App> app = newApp(cluster.state());
        if (app.isPresent()) {
          return app.get().id();
        }
        failIfEnded("before its application registered");
        sleep(POLL);
      }
      return fail("no application of " + label + " registered with the master within " + timeout);
    }

    /**
     * Waits until the driver's REST API shows an active stage for which {@code stageTest} holds
     * (e.g. some tasks done, some running: "the middle"). Needs {@link #withDriverUi()}.
     */
    JsonNode awaitStage(Predicate<JsonNode> stageTest, Duration timeout) {
      if (driverUiPort == null) {
        throw new IllegalStateException("awaitStage needs withDriverUi()");
      }
      String base = "http://127.0.0.1:" + driverUiPort + "/api/v1/applications";
      long deadline = System.nanoTime() + timeout.toNanos();
      String seen = "nothing";
      while (System.nanoTime() < deadline) {
        failIfEnded("before the awaited stage (last seen: " + seen + ")");
        try {
          JsonNode apps = MasterState.getJson(base);
          if (apps.size() > 0) {
            String id = apps.get(0).path("id").asText();
            JsonNode stages = MasterState.getJson(base + "/" + id + "/stages?status=active");
            for (JsonNode stage : stages) {
              seen = describeStage(stage);
              if (stageTest.test(stage)) {
                return stage;
              }
            }
          }
        } catch (RuntimeException notUpYet) {
          seen = "UI not answering: " + notUpYet.getMessage();
        }
        sleep(POLL);
      }
      return fail("the awaited stage of " + label + " did not show within " + timeout + " (last seen: " + seen + ")");
    }

    Outcome await() {
      ExternalProcess.Result result = process.await();
      Optional<MasterState.App> app = Optional.empty();
      if (!local) {
        // A driver that registered is listed (active, then completed soon after it exits); one that
        // never got as far as a SparkContext (e.g. a usage error) is not listed at all.
        long start = System.nanoTime();
        Optional<MasterState.App> seen = newApp(cluster.state());
        while ((seen.isEmpty() ? elapsedSince(start).compareTo(UNREGISTERED_GRACE) < 0
            : !seen.get().completed() && elapsedSince(start).compareTo(APP_LISTING_TIMEOUT) < 0)) {
          sleep(POLL);
          seen = newApp(cluster.state());
        }
        app = seen.filter(MasterState.App::completed);
      }
      System.out.printf("[it] %s (%s): exit %d in %d s%s%n", label, local ? LOCAL_MASTER : "cluster",
          result.exitCode(), result.elapsed().toSeconds(), app.map(a -> ", application " + a.id() + " " + a.state()).orElse(""));
      return new Outcome(label, local, result, app);
    }

    private Optional<MasterState.App> newApp(MasterState state) {
      List<MasterState.App> fresh = state.apps().stream().filter(a -> !appsBefore.contains(a.id())).toList();
      if (fresh.size() > 1) {
        fail("expected one new application for " + label + ", the master lists " + fresh);
      }
      return fresh.stream().findFirst();
    }

    private void failIfEnded(String when) {
      if (!process.isAlive()) {
        fail(label + " ended " + when + "; its log " + process.log() + ":\n" + ExternalProcess.tail(process.output()));
      }
    }
  }

  /** How a run ended: the process and (on the cluster) the application at the master. */
  record Outcome(String label, boolean local, ExternalProcess.Result result, Optional<MasterState.App> app) {
    int exitCode() {
      return result.exitCode();
    }

    String output() {
      return result.output();
    }

    Duration elapsed() {
      return result.elapsed();
    }

    /** The application's event log (cluster runs only). */
    EventLog eventLog() {
      MasterState.App a = app.orElseGet(() -> fail("no application of " + label + " at the master"));
      return EventLog.read(eventLogDir(), a.id());
    }

    /** Exit code 0 and, on the cluster, the application completed in state FINISHED. */
    Outcome assertSucceeded() {
      result.assertSuccess();
      if (!local) {
        MasterState.App a = app.orElseGet(() -> fail("the master never listed the application of " + label
            + " as completed"));
        assertEquals("FINISHED", a.state(), "state of application " + a.id() + " (" + label + ") at the master");
      }
      return this;
    }
  }

  /** Where cluster runs write their event logs. */
  static Path eventLogDir() {
    return Project.workDir("events");
  }

  static String describeStage(JsonNode stage) {
    return "stage " + stage.path("stageId").asInt() + " '" + stage.path("name").asText() + "' tasks "
        + stage.path("numCompleteTasks").asInt() + " done, " + stage.path("numActiveTasks").asInt() + " running, of "
        + stage.path("numTasks").asInt();
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
