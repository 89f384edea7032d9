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
 *   S_s = -2 Y_s P_{m,c}^T                     one gemm per subquantizer (n x K x D/M)
 *   T_i[s][k] = S_s[i][k] + (||Y_i,s||^2 + ||P_{m,c}[k]||^2)
 *   P_{m,c} = LopqModel.codebook(m, c): the shared P_m, or cluster c's own with local codebooks
 * </pre>
 *
 * Same formula and operation order as {@link io.lopq.search.AdcTables}, but gemm sums products
 * in another order than gemv, so a table entry may differ from it in the last bits (about 1e-7
 * relative).
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
    built += n;
  }

  private void ensureCapacity(int n) {
    if (residuals.length < n * half) {
      int rows = Math.max(n, residuals.length / Math.max(1, half) * 2);
      residuals = new float[Math.multiplyExact(rows, half)];
      rotated = new float[residuals.length];
      scores = new float[Math.multiplyExact(rows, clusters)];
    }
  }

  @Override
  public long tablesBuilt() {
    return built;
  }
}
