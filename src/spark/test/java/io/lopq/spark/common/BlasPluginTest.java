package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.JavaBLAS;
import io.lopq.math.Blas;
import io.lopq.math.blas.BlasInfo;
import io.lopq.math.blas.BlasSetup;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** In local-mode Spark the bundled OpenBLAS is the one the driver and the tasks use, and it computes what Java does. */
class BlasPluginTest {
  @Test
  void sessionsRegisterThePluginAndSingleThreadedExecutors() {
    SparkConf conf = SharedSpark.session().sparkContext().getConf();
    assertTrue(Arrays.asList(conf.get(Sessions.PLUGINS).split(",")).contains(BlasPlugin.class.getName()),
        conf.get(Sessions.PLUGINS));
    assertEquals("1", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
    assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
    assertEquals("a,b," + BlasPlugin.class.getName(), Sessions.withBlasPlugin("a,b"));
    assertEquals("a, " + BlasPlugin.class.getName(), Sessions.withBlasPlugin("a, " + BlasPlugin.class.getName()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDriverReportsTheBundledOpenBlas() {
    String bundled = BlasSetup.bundledLibrary().map(p -> BlasSetup.info().library()).orElseThrow();
    Map<String, Object> section = BlasReport.section(SharedSpark.session().sparkContext());
    assertEquals(BlasReport.recordedDriver().orElseThrow(), section.get("driver"), "the plugin ran on the driver");
    Map<String, Object> driver = (Map<String, Object>) section.get("driver");
    assertEquals(BlasInfo.OPENBLAS, driver.get("implementation"), driver.toString());
    assertEquals(Boolean.TRUE, driver.get("bundled"));
    assertEquals(bundled, driver.get("library"));
    assertEquals(1, driver.get("threads"));
    assertNull(driver.get("warning"), driver.toString());
    assertNull(section.get("executors"), "local mode: the driver runs the tasks");
  }

  @Test
  void tasksUseTheBundledOpenBlasAndAgreeWithJava() {
    String bundled = BlasSetup.bundledLibrary().map(p -> BlasSetup.info().library()).orElseThrow();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    List<String> seen = jsc.parallelize(IntStream.range(0, 4).boxed().collect(Collectors.toList()), 4)
        .map(seed -> {
          BlasInfo info = BlasSetup.info();
          return info.implementation() + "|" + info.bundled() + "|" + info.library() + "|" + gemmDifference(seed);
        })
        .collect();
    assertEquals(4, seen.size());
    for (String s : seen) {
      String[] f = s.split("\\|");
      assertEquals(BlasInfo.OPENBLAS, f[0], s);
      assertEquals("true", f[1], s);
      assertEquals(bundled, f[2], s);
      assertTrue(Double.parseDouble(f[3]) < 1e-4, "native and Java sgemm differ by " + f[3]);
    }
  }

  /** Largest relative difference between the project's gemm (native) and netlib's pure-Java sgemm. */
  private static double gemmDifference(int seed) {
    Random random = new Random(seed);
    int m = 50;
    int n = 40;
    int k = 30;
    float[] a = new float[m * k];
    float[] b = new float[n * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
    float[] ours = new float[m * n];
    float[] java = new float[m * n];
    Blas.gemmNT(m, n, k, 1f, a, 0, b, 0, 0f, ours, 0);
    JavaBLAS.getInstance().sgemm("T", "N", n, m, k, 1f, b, 0, k, a, 0, k, 0f, java, 0, n);
    double worst = 0;
    for (int i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs(ours[i] - java[i]) / Math.max(1, Math.abs(java[i])));
    }
    return worst;
  }
}
