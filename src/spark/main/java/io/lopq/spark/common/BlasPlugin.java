package io.lopq.spark.common;

import io.lopq.math.blas.BlasChoice;
import io.lopq.math.blas.BlasInfo;
import io.lopq.math.blas.BlasSetup;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up BLAS and LAPACK in every JVM of a Spark application before its first task, and says which
 * one each got. {@link Sessions} registers it ({@code spark.plugins}); on any cluster it runs from the
 * job jar.
 *
 * <ul>
 *   <li>Driver: takes the choice from {@value #CHOICE_CONF} if set, else the driver's own
 *       {@link BlasChoice} setting ({@code -Dlopq.blas}, {@code LOPQ_BLAS}), sets netlib up
 *       ({@link BlasSetup}), logs one line, and hands the choice to the executors.</li>
 *   <li>Executor (at its start, before any task): sets netlib up with the driver's choice (so one
 *       setting on the driver holds for the whole application), logs one line, and sends what it got
 *       to the driver, where {@link BlasReport} collects it for the job's report.</li>
 * </ul>
 *
 * Only a wrong setting on the driver fails an application (naming the setting); any other problem is
 * logged and netlib keeps its own defaults. The core's {@code Blas} sets netlib up on first use anyway;
 * this plugin makes it happen at start-up, and visible.
 */
public final class BlasPlugin implements SparkPlugin {
  /** Spark setting that chooses for the whole application ({@code bundled}, {@code system}, {@code java}). */
  public static final String CHOICE_CONF = "spark.lopq.blas";
  private static final String CHOICE_KEY = "choice";
  private static final String TASK_CPUS = "spark.task.cpus";
  /** The executor id of local mode, whose tasks run in the driver's JVM. */
  private static final String LOCAL_EXECUTOR = "driver";
  private static final Logger LOG = LoggerFactory.getLogger(BlasPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return new Driver();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new Executor();
  }

  /** Cores per task of the application ({@code spark.task.cpus}). */
  static int taskCpus(SparkConf conf) {
    return Math.max(1, conf.getInt(TASK_CPUS, 1));
  }

  private static void log(String jvm, BlasInfo info) {
    if (info.warning() != null) {
      LOG.warn("{}: {}", jvm, info.summary());
    } else {
      LOG.info("{}: {}", jvm, info.summary());
    }
  }

  static final class Driver implements DriverPlugin {
    @Override
    public Map<String, String> init(SparkContext sc, PluginContext context) {
      Map<String, String> extra = new HashMap<>();
      // A wrong setting stops the application here, with its name and the accepted values.
      BlasChoice choice = sc.conf().contains(CHOICE_CONF)
          ? BlasChoice.parse(sc.conf().get(CHOICE_CONF), "Spark setting " + CHOICE_CONF)
          : BlasChoice.fromSettings();
      try {
        BlasSetup.configure(choice);
        BlasInfo info = BlasSetup.info(taskCpus(sc.conf()));
        BlasReport.recordDriver(info);
        log("driver", info);
        extra.put(CHOICE_KEY, choice.settingValue());
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("could not set up BLAS on the driver: {}", e.toString());
      }
      return extra;
    }

    @Override
    public Object receive(Object message) {
      if (message instanceof ExecutorBlas) {
        ExecutorBlas m = (ExecutorBlas) message;
        BlasReport.recordExecutor(m.applicationId, m.executorId, m.info);
      }
      return null;
    }
  }

  static final class Executor implements ExecutorPlugin {
    @Override
    public void init(PluginContext context, Map<String, String> extraConf) {
      try {
        String chosen = extraConf.get(CHOICE_KEY);
        BlasSetup.configure(chosen == null ? BlasChoice.fromSettings() : BlasChoice.parse(chosen, "the driver's choice"));
        BlasInfo info = BlasSetup.info(taskCpus(context.conf()));
        if (!LOCAL_EXECUTOR.equals(context.executorID())) { // local mode: the driver's line says it all
          log("executor " + context.executorID() + " on " + hostname(), info);
          context.send(new ExecutorBlas(context.conf().getAppId(), context.executorID(),
              new LinkedHashMap<>(info.toMap())));
        }
      } catch (Exception | LinkageError e) {
        LOG.warn("could not set up BLAS on executor {}: {}", context.executorID(), e.toString());
      }
    }
  }

  /** This machine's name (an executor's plugin context has no address of its own in client-mode RPC). */
  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** What an executor sends the driver: its BLAS ({@link BlasInfo#toMap()}). */
  static final class ExecutorBlas implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String applicationId;
    final String executorId;
    final LinkedHashMap<String, Object> info;

    ExecutorBlas(String applicationId, String executorId, LinkedHashMap<String, Object> info) {
      this.applicationId = applicationId;
      this.executorId = executorId;
      this.info = info;
    }
  }
}
