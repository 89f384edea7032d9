package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lopq.spark.common.Errors;
import io.lopq.spark.common.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.function.Executable;

/** Shared bits of the reader tests: the session, random vectors, collecting, error messages. */
public final class InputTesting {
  private InputTesting() {}

  public static SparkSession spark() {
    return SharedSpark.session();
  }

  public static Configuration conf() {
    return spark().sparkContext().hadoopConfiguration();
  }

  /** {@code n} vectors of dimension {@code d} with values in [-1, 1), from {@code seed}. */
  public static List<float[]> randomVectors(long seed, int n, int d) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = (float) (random.nextDouble() * 2 - 1);
      }
      vectors.add(v);
    }
    return vectors;
  }

  /** The rows by id (the normalized schema's long ids), checking ids are not repeated. */
  public static Map<Long, Row> byLongId(Dataset<Row> rows) {
    Map<Long, Row> byId = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      assertFalse(byId.containsKey(r.getLong(0)), "id " + r.getLong(0) + " is repeated");
      byId.put(r.getLong(0), r);
    }
    return byId;
  }

  /** The vector of a normalized row as floats. */
  public static float[] vector(Row row) {
    return RowVectors.toFloats(row.get(1));
  }

  /**
   * Runs {@code action}, which must fail with an {@link InvalidInputException} somewhere in the
   * cause chain (possibly wrapped by Spark), and returns that exception's message.
   */
  public static String invalidInputMessage(Executable action) {
    try {
      action.execute();
    } catch (Throwable t) {
      Optional<InvalidInputException> invalid = Errors.rootInvalidInput(t);
      if (invalid.isEmpty()) {
        throw new AssertionError("expected an InvalidInputException, got " + t, t);
      }
      return invalid.get().getMessage();
    }
    return fail("expected an InvalidInputException, but nothing was thrown");
  }

  /** Asserts {@code message} contains every part, showing the message on failure. */
  public static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "message \"" + message + "\" should mention \"" + part + "\"");
    }
  }
}
