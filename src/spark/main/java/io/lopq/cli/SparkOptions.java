package io.lopq.cli;

import io.lopq.spark.common.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options every Spark command shares ({@code --master}, {@code --conf}), mixed into each command
 * with {@code @Mixin}. Under spark-submit the master comes from spark-submit unless given here.
 */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[*] (default), local[N], spark://host:port, yarn, ...")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  /** Gets or creates the session for a command, applying {@code --master} and {@code --conf}. */
  public SparkSession session(String appName) {
    SparkSession.Builder builder = Sessions.builder(master, appName);
    for (Map.Entry<String, String> e : conf.entrySet()) {
      builder = builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }
}
