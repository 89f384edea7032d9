package io.lopq.bench.jmh;

import io.lopq.math.Elementwise;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The search's other Java loops (issue 12, point 3), plain Java against the Vector API, to decide
 * whether they are worth vector kernels:
 *
 * <pre>
 *   ADC scan (io.lopq.search.batch.BlockScanner, io.lopq.search.AdcTables#distance), per row r:
 *     d[r] = partial[r] + sum_{s &lt; M/2} T[s * K + code[r * M + s]]       (M = 8, K = 256)
 *   residual (io.lopq.math.Elementwise#residual; BatchedTables, AdcTables, BatchEncoder), per row:
 *     e[j] = x[j] - c[j] - mu[j]                                          (j &lt; D/2 = 392)
 *   table (io.lopq.math.Elementwise#offsetSum; BatchedTables, AdcTables), per (query, subquantizer):
 *     T[k] = s[k] + (||y||^2 + ||p_k||^2)                                 (k &lt; K = 256)
 * </pre>
 *
 * The ADC scan's look-ups are data-dependent, so its only vector form is a gather
 * ({@code FloatVector.fromArray(species, table, 0, indexMap, 0)}): the lanes' indices are still
 * computed in plain Java (the Vector API of Java 17 gathers no bytes), then one gather per
 * subquantizer adds {@code LANES} rows' look-ups at once, in the same order, so the sums have the
 * same bits (this kernel lives here only: it measured slower, so the search keeps its plain loop).
 * The residual and table loops are plain stream loops; {@code io.lopq.math.Elementwise} runs them on
 * the Vector API where C2 compiles (measured faster: C2 does not vectorize them on its own).
 * {@link #check()} asserts both forms agree bit for bit before measuring. Run with
 * <pre>
 *   java $(grep -v '^#' conf/jvm-flags) -cp "target/bench/lopq-bench-*.jar:$(cat target/bench/classpath.txt)" \
 *     org.openjdk.jmh.Main SearchLoopKernels
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SearchLoopKernels {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  static final int M = 8;
  static final int PER_HALF = M / 2;
  static final int K = 256;
  static final int HALF_DIMENSION = 392;
  static final int RESIDUAL_ROWS = 64;
  static final int TABLES = 64;

  /** Rows scanned per operation (the search's cells hold hundreds to thousands). */
  @Param({"1000", "6000"})
  int rows;

  byte[] codes;
  float[] table;
  float[] partial;
  float[] sums;
  int[] indices;
  float[] x;
  float[] centroid;
  float[] mean;
  float[] residual;
  float[] scores;
  float[] norms;
  float[] tables;

  @Setup
  public void data() {
    Random random = new Random(11);
    codes = new byte[rows * M];
    random.nextBytes(codes);
    table = new float[PER_HALF * K];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) (random.nextGaussian() * 1e3);
    }
    partial = new float[rows];
    for (int r = 0; r < rows; r++) {
      partial[r] = (float) (random.nextGaussian() * 1e4);
    }
    sums = new float[rows];
    indices = new int[LANES];
    x = randomFloats(random, RESIDUAL_ROWS * HALF_DIMENSION);
    centroid = randomFloats(random, HALF_DIMENSION);
    mean = randomFloats(random, HALF_DIMENSION);
    residual = new float[RESIDUAL_ROWS * HALF_DIMENSION];
    scores = randomFloats(random, TABLES * K);
    norms = randomFloats(random, K);
    tables = new float[TABLES * K];
    check();
  }

  private static float[] randomFloats(Random random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }

  /** Both forms of each kernel give the same bits (else the measurement compares different work). */
  void check() {
    float[] scalar = new float[rows];
    float[] vector = new float[rows];
    adcScalar(scalar);
    adcVector(vector);
    for (int r = 0; r < rows; r++) {
      if (Float.floatToIntBits(scalar[r]) != Float.floatToIntBits(vector[r])) {
        throw new IllegalStateException("ADC row " + r + ": scalar " + scalar[r] + ", vector " + vector[r]);
      }
    }
    same("residual", residualScalar().clone(), residualVector());
    same("table", tableScalar().clone(), tableVector());
  }

  private static void same(String what, float[] scalar, float[] vector) {
    for (int i = 0; i < scalar.length; i++) {
      if (Float.floatToIntBits(scalar[i]) != Float.floatToIntBits(vector[i])) {
        throw new IllegalStateException(what + " " + i + ": scalar " + scalar[i] + ", vector " + vector[i]);
      }
    }
  }

  @Benchmark
  public float[] adcScanScalar() {
    adcScalar(sums);
    return sums;
  }

  @Benchmark
  public float[] adcScanVectorGather() {
    adcVector(sums);
    return sums;
  }

  @Benchmark
  public float[] residualScalar() {
    for (int r = 0; r < RESIDUAL_ROWS; r++) {
      Elementwise.scalarResidual(x, r * HALF_DIMENSION, centroid, 0, mean, 0, residual, r * HALF_DIMENSION,
          HALF_DIMENSION);
    }
    return residual;
  }

  /** What the project runs: the Vector API kernel when C2 compiles ({@code io.lopq.math.Argmin#VECTORIZED}). */
  @Benchmark
  public float[] residualVector() {
    for (int r = 0; r < RESIDUAL_ROWS; r++) {
      Elementwise.residual(x, r * HALF_DIMENSION, centroid, 0, mean, 0, residual, r * HALF_DIMENSION,
          HALF_DIMENSION);
    }
    return residual;
  }

  @Benchmark
  public float[] tableScalar() {
    for (int t = 0; t < TABLES; t++) {
      Elementwise.scalarOffsetSum(scores, t * K, 0.5f * t, norms, tables, t * K, K);
    }
    return tables;
  }

  @Benchmark
  public float[] tableVector() {
    for (int t = 0; t < TABLES; t++) {
      Elementwise.offsetSum(scores, t * K, 0.5f * t, norms, tables, t * K, K);
    }
    return tables;
  }

  /** BlockScanner's second half: the partial sum plus the half's M/2 look-ups, in order. */
  void adcScalar(float[] out) {
    for (int r = 0; r < rows; r++) {
      int row = r * M + PER_HALF;
      float d = partial[r];
      for (int s = 0; s < PER_HALF; s++) {
        d += table[s * K + (codes[row + s] & 0xFF)];
      }
      out[r] = d;
    }
  }

  /** The same with one gather per subquantizer for {@code LANES} rows at once. */
  void adcVector(float[] out) {
    int bound = rows - rows % LANES;
    int[] idx = indices;
    int r = 0;
    for (; r < bound; r += LANES) {
      FloatVector d = FloatVector.fromArray(SPECIES, partial, r);
      for (int s = 0; s < PER_HALF; s++) {
        int at = r * M + PER_HALF + s;
        for (int j = 0; j < LANES; j++) {
          idx[j] = s * K + (codes[at + j * M] & 0xFF);
        }
        d = d.add(FloatVector.fromArray(SPECIES, table, 0, idx, 0));
      }
      d.intoArray(out, r);
    }
    for (; r < rows; r++) {
      int row = r * M + PER_HALF;
      float d = partial[r];
      for (int s = 0; s < PER_HALF; s++) {
        d += table[s * K + (codes[row + s] & 0xFF)];
      }
      out[r] = d;
    }
  }
}
