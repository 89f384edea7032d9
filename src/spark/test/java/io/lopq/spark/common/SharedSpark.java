package io.lopq.spark.common;

import java.io.File;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of a test JVM, created on first use (a first session costs seconds,
 * later ones nothing): {@code local[2]}, UI off, 4 shuffle partitions, scratch and warehouse
 * folders under {@code target/}. Spark stops it at JVM exit.
 */
public final class SharedSpark {
  /** Local threads of the test session. */
  public static final int THREADS = 2;
  /** Shuffle partitions of the test session. */
  public static final int SHUFFLE_PARTITIONS = 4;
  private static final File SCRATCH = new File(System.getProperty("java.io.tmpdir"), "spark").getAbsoluteFile();

  private SharedSpark() {}

  /** The shared session. */
  public static SparkSession session() {
    return Holder.SESSION;
  }

  private static final class Holder {
    static final SparkSession SESSION = create();

    private static SparkSession create() {
      SparkSession session = Sessions.builder("local[" + THREADS + "]", "lopq-tests")
          .config("spark.ui.enabled", false)
          .config("spark.ui.showConsoleProgress", false)
          .config("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS)
          .config("spark.local.dir", new File(SCRATCH, "local").getPath())
          .config("spark.sql.warehouse.dir", new File(SCRATCH, "warehouse").getPath())
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      return session;
    }
  }
}
