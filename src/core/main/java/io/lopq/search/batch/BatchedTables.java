package io.lopq.search.batch;

import io.lopq.math.Blas;
import io.lopq.math.Elementwise;
import io.lopq.model.LopqModel;
import io.lopq.search.AdcTables;

/**
 * Tables of many queries for one {@code (h, c)} with matrix products instead of one
 * matrix-vector product per query: the rotation matrix and the codebooks are read once per group
 * rather than once per query, which is 2-3x faster for groups of tens of queries.
 *
 * <pre>
 *   E = [q_i,h - C_h[c] - mu_h[c]]_i          n x D/2
 *   Y = E R_h[c]^T                            one gemm (n x D/2 x D/2)
 *   shared codebooks (P_{m,c} = P_m), one gemm per subquantizer straight into the tables:
 *     T_s = [-2 Y_s | 1 | ||Y_s||^2] [P_m | ||P_m||^2 | 1]^T      (n x K x (D/M + 2))
 *   local codebooks (P_{m,c} = cluster c's own):
 *     S_s = -2 Y_s P_{m,c}^T                     one gemm per subquantizer (n x K x D/M)
 *     T_i[s][k] = S_s[i][k] + (||Y_i,s||^2 + ||P_{m,c}[k]||^2)
 * </pre>
 *
 * The same terms as {@link io.lopq.search.AdcTables}, summed in another order (gemm), so a table
 * entry may differ from it in the last bits (about 1e-7 relative of the terms). With shared
 * codebooks the two norms ride along in the product as two extra columns (the augmented codebook
 * {@code [P_m | ||P_m||^2 | 1]} is made once per builder): no separate pass over the K entries of
 * every table, which was the largest Java cost of building tables (a scalar loop under the C1 JIT
 * the launcher runs {@code search} with).
 */
public final class BatchedTables implements TableBuilder {
  private final LopqModel model;
  private final int dimension;
  private final int half;
  private final int perHalf;
  private final int sub;
  private final int clusters;
  private final int tableSize;
  private final float[][][] codewordNorms;
  private float[] residuals = new float[0];
  private float[] rotated = new float[0];
  private float[] scores = new float[0];
  private float[] augmented = new float[0];
  /** Per subquantizer m, {@code [P_m | ||P_m||^2 | 1]} row-major K x (D/M + 2); null with local codebooks. */
  private final float[][] augmentedCodebooks;
  private long built;

  /** Tables for {@code model}. */
  public BatchedTables(LopqModel model) {
    this.model = model;
    this.dimension = model.dimension();
    this.half = model.halfDimension();
    this.perHalf = model.subquantizersPerHalf();
    this.sub = model.subDimension();
    this.clusters = model.subquantizerClusters();
    this.tableSize = perHalf * clusters;
    this.codewordNorms = AdcTables.codewordNorms(model);
    this.augmentedCodebooks = model.hasLocalCodebooks() ? null : augmentedCodebooks(model, codewordNorms);
  }

  /** {@code [P_m | ||P_m||^2 | 1]} per subquantizer (shared codebooks). */
  static float[][] augmentedCodebooks(LopqModel model, float[][][] norms) {
    int sub = model.subDimension();
    int clusters = model.subquantizerClusters();
    int width = sub + 2;
    float[][] out = new float[model.subquantizers()][];
    for (int m = 0; m < out.length; m++) {
      float[] codebook = model.codebook(m);
      float[] normsOfM = norms[m][0];
      float[] a = new float[clusters * width];
      for (int k = 0; k < clusters; k++) {
        System.arraycopy(codebook, k * sub, a, k * width, sub);
        a[k * width + sub] = normsOfM[k];
        a[k * width + sub + 1] = 1f;
      }
      out[m] = a;
    }
    return out;
  }

  @Override
  public int tableSize() {
    return tableSize;
  }

  @Override
  public void build(int h, int c, float[] queries, int[] rows, int n, float[] out) {
    if (n == 0) {
      return;
    }
    ensureCapacity(n);
    float[] centroids = model.coarseCentroids(h);
    float[] means = model.residualMeans(h);
    int base = c * half;
    for (int i = 0; i < n; i++) {
      int start = rows[i] * dimension + h * half;
      Elementwise.residual(queries, start, centroids, base, means, base, residuals, i * half, half);
    }
    Blas.gemmNT(n, half, half, 1f, residuals, 0, model.rotations(h), model.rotationOffset(c), 0f, rotated, 0);
    if (augmentedCodebooks != null) {
      buildShared(h, n, out);
    } else {
      buildLocal(h, c, n, out);
    }
    built += n;
  }

  /** Shared codebooks: one gemm per subquantizer writes the tables, norms included. */
  private void buildShared(int h, int n, float[] out) {
    int width = sub + 2;
    int rowWidth = perHalf * width;
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < perHalf; s++) {
        int from = i * half + s * sub;
        int to = i * rowWidth + s * width;
        for (int j = 0; j < sub; j++) {
          augmented[to + j] = -2f * rotated[from + j];
        }
        augmented[to + sub] = 1f;
        augmented[to + sub + 1] = Blas.squaredNorm(rotated, from, sub);
      }
    }
    for (int s = 0; s < perHalf; s++) {
      int m = h * perHalf + s;
      // Column-major, the tables of subquantizer s are the K x n matrix at out[s*K ..] with leading dimension M/2*K.
      Blas.netlib().sgemm("T", "N", clusters, n, width, 1f, augmentedCodebooks[m], 0, width, augmented, s * width,
          rowWidth, 0f, out, s * clusters, tableSize);
    }
  }

  /** Local codebooks: a gemm per subquantizer, then the norms added entry by entry. */
  private void buildLocal(int h, int c, int n, float[] out) {
    for (int s = 0; s < perHalf; s++) {
      int m = h * perHalf + s;
      // Y_s is the n x D/M column block s of Y (row stride D/2): no copy, the gemm reads it in place.
      Blas.netlib().sgemm("T", "N", clusters, n, sub, -2f, model.codebook(m, c), 0, sub, rotated, s * sub, half,
          0f, scores, 0, clusters);
      float[] norms = codewordNorms[m][c];
      for (int i = 0; i < n; i++) {
        float yNorm = Blas.squaredNorm(rotated, i * half + s * sub, sub);
        Elementwise.offsetSum(scores, i * clusters, yNorm, norms, out, i * tableSize + s * clusters, clusters);
      }
    }
  }

  private void ensureCapacity(int n) {
    if (residuals.length < n * half) {
      int rows = Math.max(n, residuals.length / Math.max(1, half) * 2);
      residuals = new float[Math.multiplyExact(rows, half)];
      rotated = new float[residuals.length];
      scores = new float[Math.multiplyExact(rows, clusters)];
      augmented = new float[Math.multiplyExact(rows, perHalf * (sub + 2))];
    }
  }

  @Override
  public long tablesBuilt() {
    return built;
  }
}
