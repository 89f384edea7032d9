package io.lopq.search;

import io.lopq.math.Blas;
import io.lopq.math.Elementwise;
import io.lopq.model.LopqModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Asymmetric distance computation (ADC) for one query: distance look-up tables per half and coarse
 * index, so that a code's approximate distance is M table reads.
 *
 * <pre>
 *   y          = R_h[c] (q_h - C_h[c] - mu_h[c])                  (rotated query residual, one gemv)
 *   T_{h,c}[s][k] = || y_{chunk s} - P_{m,c}[k] ||^2,   m = h*M/2 + s
 *                 = ||y_s||^2 - 2 P_{m,c} y_s + ||P_{m,c}[k]||^2   (one gemv per subquantizer)
 *   P_{m,c}    = the codebook subquantizer m uses in cluster c ({@link LopqModel#codebook(int, int)}:
 *                the shared P_m, or the cluster's own with local codebooks)
 *   adc(code)  = sum_s T_{0,c0}[s][f_s] + sum_s T_{1,c1}[s][f_{M/2+s}]
 *              = || q - xhat(code) ||^2                           (R orthonormal)
 * </pre>
 *
 * Tables depend on the query and the coarse index of one half (the rotation is local), and many
 * cells of the multi-index share a coarse index, so each {@code (h, c)} table is built at most
 * once per query and cached until the next {@link #setQuery}. Table buffers are pooled and
 * reused across queries. One instance per thread: not thread-safe.
 */
public final class AdcTables {
  private final LopqModel model;
  private final int half;
  private final int perHalf;
  private final int sub;
  private final int clusters;
  private final int tableSize;
  private final float[][][] codewordNorms;
  private final float[] query;
  private final float[] residual;
  private final float[] rotated;
  private final int[][] slotOf;
  private final int[][] slotStamp;
  private final float[][][] pool;
  private final int[] poolUsed;
  private int stamp;
  private boolean hasQuery;
  private long tablesBuilt;

  /** Tables for {@code model}. */
  public AdcTables(LopqModel model) {
    this(model, codewordNorms(model));
  }

  /** Tables sharing precomputed {@link #codewordNorms(LopqModel)} (saves M x K x D/M work per instance). */
  AdcTables(LopqModel model, float[][][] codewordNorms) {
    this.model = Objects.requireNonNull(model, "model");
    this.half = model.halfDimension();
    this.perHalf = model.subquantizersPerHalf();
    this.sub = model.subDimension();
    this.clusters = model.subquantizerClusters();
    this.tableSize = perHalf * clusters;
    this.codewordNorms = codewordNorms;
    this.query = new float[model.dimension()];
    this.residual = new float[half];
    this.rotated = new float[half];
    this.slotOf = new int[LopqModel.HALVES][model.coarseClusters()];
    this.slotStamp = new int[LopqModel.HALVES][model.coarseClusters()];
    this.pool = new float[LopqModel.HALVES][0][];
    this.poolUsed = new int[LopqModel.HALVES];
  }

  /**
   * {@code ||P_{m,c}[k]||^2} for every subquantizer m, coarse cluster c of its half and codeword k,
   * indexed {@code [m][c][k]}; without local codebooks every c shares one array.
   */
  public static float[][][] codewordNorms(LopqModel model) {
    int v = model.coarseClusters();
    float[][][] norms = new float[model.subquantizers()][v][];
    for (int m = 0; m < model.subquantizers(); m++) {
      float[] shared = model.hasLocalCodebooks() ? null
          : Blas.rowSquaredNorms(model.codebook(m), model.subquantizerClusters(), model.subDimension());
      for (int c = 0; c < v; c++) {
        norms[m][c] = shared != null ? shared
            : Blas.rowSquaredNorms(model.codebook(m, c), model.subquantizerClusters(), model.subDimension());
      }
    }
    return norms;
  }

  /** The model. */
  public LopqModel model() {
    return model;
  }

  /**
   * Sets the query (copied) and forgets the previous query's tables.
   *
   * @throws IllegalArgumentException on a wrong dimension or a non-finite value
   */
  public void setQuery(float[] q) {
    setQuery(q, 0);
  }

  /** Sets the query found at {@code q[offset .. offset + D)}. */
  public void setQuery(float[] q, int offset) {
    Objects.requireNonNull(q, "query");
    int d = model.dimension();
    if (offset < 0 || (long) offset + d > q.length) {
      throw new IllegalArgumentException("query at offset " + offset + " needs " + d
          + " values (the model's dimension), the array holds " + q.length);
    }
    for (int j = 0; j < d; j++) {
      if (!Float.isFinite(q[offset + j])) {
        throw new IllegalArgumentException("query has a non-finite value " + q[offset + j] + " at index " + j);
      }
    }
    System.arraycopy(q, offset, query, 0, d);
    stamp++;
    if (stamp == 0) {
      for (int[] stamps : slotStamp) {
        Arrays.fill(stamps, 0);
      }
      stamp = 1;
    }
    Arrays.fill(poolUsed, 0);
    hasQuery = true;
  }

  /** Tables built since this instance was made (a measure of cache effectiveness). */
  public long tablesBuilt() {
    return tablesBuilt;
  }

  /**
   * The table of half {@code h} and coarse index {@code c}: M/2 rows of K distances, row-major
   * ({@code T[s * K + k]}). Built on first use for the current query. Do not modify.
   */
  public float[] table(int h, int c) {
    if (!hasQuery) {
      throw new IllegalStateException("call setQuery first");
    }
    if (slotStamp[h][c] == stamp) {
      return pool[h][slotOf[h][c]];
    }
    int slot = poolUsed[h]++;
    if (slot == pool[h].length) {
      pool[h] = Arrays.copyOf(pool[h], Math.max(1, 2 * slot));
    }
    if (pool[h][slot] == null) {
      pool[h][slot] = new float[tableSize];
    }
    float[] table = pool[h][slot];
    build(h, c, table);
    slotOf[h][c] = slot;
    slotStamp[h][c] = stamp;
    return table;
  }

  /**
   * The ADC distance of a code in cell {@code (c0, c1)} whose M fine codes start at
   * {@code fine[offset]}.
   */
  public float distance(int c0, int c1, byte[] fine, int offset) {
    return distance(table(0, c0), table(1, c1), fine, offset);
  }

  /**
   * The ADC distance from two already fetched tables: both halves' M/2 look-ups, summed in order
   * of the subquantizers.
   */
  public float distance(float[] table0, float[] table1, byte[] fine, int offset) {
    float d = 0f;
    for (int s = 0; s < perHalf; s++) {
      d += table0[s * clusters + (fine[offset + s] & 0xFF)];
    }
    int second = offset + perHalf;
    for (int s = 0; s < perHalf; s++) {
      d += table1[s * clusters + (fine[second + s] & 0xFF)];
    }
    return d;
  }

  private void build(int h, int c, float[] table) {
    tablesBuilt++;
    float[] centroids = model.coarseCentroids(h);
    float[] means = model.residualMeans(h);
    int base = c * half;
    int start = h * half;
    Elementwise.residual(query, start, centroids, base, means, base, residual, 0, half);
    Blas.gemv(half, half, 1f, model.rotations(h), model.rotationOffset(c), residual, 0, 0f, rotated, 0);
    for (int s = 0; s < perHalf; s++) {
      int m = h * perHalf + s;
      int row = s * clusters;
      Blas.gemv(clusters, sub, -2f, model.codebook(m, c), 0, rotated, s * sub, 0f, table, row);
      float yNorm = Blas.squaredNorm(rotated, s * sub, sub);
      float[] norms = codewordNorms[m][c];
      Elementwise.offsetSum(table, row, yNorm, norms, table, row, clusters);
    }
  }
}
