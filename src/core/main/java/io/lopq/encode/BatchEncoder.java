package io.lopq.encode;

import io.lopq.math.Argmin;
import io.lopq.math.Blas;
import io.lopq.math.Elementwise;
import io.lopq.model.LopqModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes and decodes many vectors at once with matrix products, giving the codes of
 * {@link LopqEncoder} far faster.
 *
 * <p>Rows are processed in blocks of {@code B} rows; per block and per half {@code h}:
 *
 * <pre>
 *   S    = -2 X_h C_h^T                          (one gemm, B x V; plus ||C_h[i]||^2 per column)
 *   c(r) = argmin_i S[r][i] + ||C_h[i]||^2
 *   rows sorted by c (counting sort), residuals E[r] = X_h[r] - C_h[c(r)] - mu_h[c(r)]
 *   Y_g  = E_g R_h[g]^T                          (one gemm per coarse cluster g present in the block)
 *   f_m(r) = argmin_k ||P_m[k]||^2 - 2 Y[r]_{chunk m} . P_m[k]   (one gemm per subquantizer, B x K)
 * </pre>
 *
 * With local codebooks ({@link LopqModel#codebook(int, int)}) the fine assignment is one gemm per
 * subquantizer and coarse cluster present in the block, against that cluster's codebook.
 *
 * <p><b>Same codes as the reference.</b> The expanded distance rounds differently from the
 * reference's sum of squared differences. Whenever a second candidate scores within
 * {@link #NEAR_TIE_TOLERANCE} (relative to the norms involved) of the best, the candidates in that
 * band are re-scored with the reference arithmetic (for a fine code, on the reference's rotated
 * residual), so the result is the code {@link LopqEncoder#encode} gives, lowest index first on
 * exact ties. {@link #nearTiesResolved()} counts how often that happened.
 *
 * <p>Scratch buffers are reused across calls and nothing is allocated per row, so <b>an instance
 * is not thread-safe</b>: use one per thread (one per Spark partition task). The model is shared.
 */
public final class BatchEncoder {
  /** Rows per block unless told otherwise: large enough for efficient gemms, small enough for cache. */
  public static final int DEFAULT_BLOCK_ROWS = 2048;
  /**
   * Scores closer than this times {@code (||x||^2 + max ||c||^2)} to the best are treated as near
   * ties and settled exactly. Float gemm rounding is about 1e-6 of those norms for D/2 in the hundreds.
   */
  public static final double NEAR_TIE_TOLERANCE = 2e-5;

  private final LopqModel model;
  private final int dimension;
  private final int half;
  private final int coarseClusters;
  private final int subquantizers;
  private final int perHalf;
  private final int sub;
  private final int clusters;
  private final int blockRows;
  private final float[][] centroidNorms;
  private final float[] maxCentroidNorm;
  /** Per subquantizer m and coarse cluster c: {@code ||P_{m,c}[k]||^2} (one shared array without local codebooks). */
  private final float[][][] codewordNorms;
  private final float[][] maxCodewordNorm;
  private final boolean local;

  private final float[] halfRows;
  private final float[] scores;
  private final float[] residuals;
  private final float[] rotated;
  private final float[] chunk;
  private final int[] coarse;
  private final int[] order;
  private final int[] clusterStart;
  private final int[] clusterCursor;
  private final int[] nearTies;
  private final double[] exactResidual;
  private final float[] exactChunk;
  private long nearTiesResolved;

  /** An encoder with {@link #DEFAULT_BLOCK_ROWS}. */
  public BatchEncoder(LopqModel model) {
    this(model, DEFAULT_BLOCK_ROWS);
  }

  /**
   * An encoder processing {@code blockRows} rows per block (scratch grows with it: about
   * {@code 4 * blockRows * (D/2 * 3 + max(V, K))} bytes).
   */
  public BatchEncoder(LopqModel model, int blockRows) {
    this.model = Objects.requireNonNull(model, "model");
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    this.dimension = model.dimension();
    this.half = model.halfDimension();
    this.coarseClusters = model.coarseClusters();
    this.subquantizers = model.subquantizers();
    this.perHalf = model.subquantizersPerHalf();
    this.sub = model.subDimension();
    this.clusters = model.subquantizerClusters();
    this.blockRows = blockRows;
    this.centroidNorms = new float[LopqModel.HALVES][];
    this.maxCentroidNorm = new float[LopqModel.HALVES];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      centroidNorms[h] = rowNorms(model.coarseCentroids(h), coarseClusters, half);
      maxCentroidNorm[h] = max(centroidNorms[h]);
    }
    this.local = model.hasLocalCodebooks();
    this.codewordNorms = new float[subquantizers][coarseClusters][];
    this.maxCodewordNorm = new float[subquantizers][coarseClusters];
    for (int m = 0; m < subquantizers; m++) {
      float[] shared = local ? null : rowNorms(model.codebook(m), clusters, sub);
      for (int c = 0; c < coarseClusters; c++) {
        codewordNorms[m][c] = local ? rowNorms(model.codebook(m, c), clusters, sub) : shared;
        maxCodewordNorm[m][c] = max(codewordNorms[m][c]);
      }
    }
    int widest = Math.max(coarseClusters, clusters);
    this.halfRows = new float[Math.multiplyExact(blockRows, half)];
    this.scores = new float[Math.multiplyExact(blockRows, widest)];
    this.residuals = new float[halfRows.length];
    this.rotated = new float[halfRows.length];
    this.chunk = new float[Math.multiplyExact(blockRows, sub)];
    this.coarse = new int[blockRows];
    this.order = new int[blockRows];
    this.clusterStart = new int[coarseClusters + 1];
    this.clusterCursor = new int[coarseClusters];
    this.nearTies = new int[widest];
    this.exactResidual = new double[half];
    this.exactChunk = new float[sub];
  }

  /** The model this encoder uses. */
  public LopqModel model() {
    return model;
  }

  /** How many assignments were settled by exact re-scoring since this encoder was made. */
  public long nearTiesResolved() {
    return nearTiesResolved;
  }

  /**
   * Encodes the first {@code n} rows of a row-major buffer into {@code out} (rows 0..n-1;
   * {@code out} is resized to {@code n}).
   *
   * @param rows at least {@code n * D} floats, row {@code r} at {@code [r*D, (r+1)*D)}
   * @return {@code out}
   * @throws IllegalArgumentException if the buffer is too short or a value is NaN or infinite
   *     (naming the row and the index); {@code out} is left unchanged then
   */
  public EncodedBatch encode(float[] rows, int n, EncodedBatch out) {
    checkRows(rows, n);
    checkBatch(out);
    out.resize(n);
    encodeRows(rows, n, out, 0);
    return out;
  }

  /** Encodes the first {@code n} rows of a row-major buffer into a new batch. */
  public EncodedBatch encode(float[] rows, int n) {
    return encode(rows, n, new EncodedBatch(subquantizers, n));
  }

  /** Encodes vectors given one array each (each must have dimension D). */
  public EncodedBatch encode(float[][] vectors) {
    Objects.requireNonNull(vectors, "vectors");
    float[] rows = new float[Math.multiplyExact(vectors.length, dimension)];
    for (int r = 0; r < vectors.length; r++) {
      if (vectors[r] == null || vectors[r].length != dimension) {
        throw new IllegalArgumentException("row " + r + " has dimension "
            + (vectors[r] == null ? "null" : String.valueOf(vectors[r].length))
            + ", the model expects " + dimension);
      }
      System.arraycopy(vectors[r], 0, rows, r * dimension, dimension);
    }
    return encode(rows, vectors.length);
  }

  /**
   * Encodes the first {@code n} rows of a row-major buffer and appends them to {@code out}.
   *
   * @return {@code out}
   */
  public EncodedBatch append(float[] rows, int n, EncodedBatch out) {
    checkRows(rows, n);
    checkBatch(out);
    int start = out.size();
    out.resize(Math.addExact(start, n));
    encodeRows(rows, n, out, start);
    return out;
  }

  /**
   * Reconstructs rows {@code [start, start + n)} of {@code codes} into {@code out} (row-major,
   * row {@code i} of the range at {@code [i*D, (i+1)*D)}).
   *
   * <pre>
   *   xhat_h = C_h[c] + mu_h[c] + [P_m[f_m] ...] R_h[c]     (one gemm per coarse cluster of a block)
   * </pre>
   *
   * @throws IllegalArgumentException if a code does not fit the model or {@code out} is too short
   */
  public void decode(EncodedBatch codes, int start, int n, float[] out) {
    checkBatch(codes);
    if (start < 0 || n < 0 || (long) start + n > codes.size()) {
      throw new IllegalArgumentException(
          "rows [" + start + ", " + ((long) start + n) + ") are outside the batch of " + codes.size());
    }
    Objects.requireNonNull(out, "out");
    if (out.length < (long) n * dimension) {
      throw new IllegalArgumentException("output buffer holds " + out.length + " floats, fewer than n x D = "
          + n + " x " + dimension);
    }
    checkCodes(codes, start, n);
    for (int first = 0; first < n; first += blockRows) {
      decodeBlock(codes, start + first, Math.min(blockRows, n - first), out, first);
    }
  }

  /** Reconstructs every row of {@code codes} into a new row-major array. */
  public float[] decode(EncodedBatch codes) {
    float[] out = new float[Math.multiplyExact(codes.size(), dimension)];
    decode(codes, 0, codes.size(), out);
    return out;
  }

  private void encodeRows(float[] rows, int n, EncodedBatch out, int outStart) {
    for (int first = 0; first < n; first += blockRows) {
      encodeBlock(rows, first, Math.min(blockRows, n - first), out, outStart + first);
    }
  }

  private void encodeBlock(float[] rows, int firstRow, int b, EncodedBatch out, int outStart) {
    for (int h = 0; h < LopqModel.HALVES; h++) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(rows, (firstRow + r) * dimension + h * half, halfRows, r * half, half);
      }
      assignCoarse(rows, firstRow, b, h);
      int[] coarseOut = out.coarseArray(h);
      System.arraycopy(coarse, 0, coarseOut, outStart, b);
      sortByCluster(b);
      rotateResiduals(b, h);
      for (int s = 0; s < perHalf; s++) {
        assignFine(rows, firstRow, b, h, s, out, outStart);
      }
    }
  }

  private void assignCoarse(float[] rows, int firstRow, int b, int h) {
    float[] centroids = model.coarseCentroids(h);
    float[] norms = centroidNorms[h];
    productNT(b, coarseClusters, half, -2f, halfRows, 0, centroids, 0, scores, 0);
    for (int r = 0; r < b; r++) {
      int offset = r * coarseClusters;
      double scale = Blas.squaredNorm(halfRows, r * half, half) + maxCentroidNorm[h];
      int ties = nearBest(scores, offset, norms, coarseClusters, NEAR_TIE_TOLERANCE * scale);
      int best = nearTies[0];
      if (ties > 1) {
        best = exactNearestCoarse(rows, (firstRow + r) * dimension + h * half, centroids, ties);
      }
      coarse[r] = best;
    }
  }

  private int exactNearestCoarse(float[] rows, int xOffset, float[] centroids, int ties) {
    nearTiesResolved++;
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int t = 0; t < ties; t++) {
      int i = nearTies[t];
      double d = ReferenceArithmetic.coarseDistance(rows, xOffset, centroids, i, half);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  /**
   * Collects into {@link #nearTies}, in increasing index order, every index whose score
   * {@code scores[offset + i] + norms[i]} is within {@code tolerance} of the smallest; returns how
   * many (the first one is the argmin when there is only one).
   */
  private int nearBest(float[] values, int offset, float[] norms, int count, double tolerance) {
    float best = Argmin.min(values, offset, 1f, norms, count);
    int ties = Argmin.within(values, offset, 1f, norms, count, best + tolerance, nearTies);
    if (ties == 0) { // only with non-finite scores
      nearTies[ties++] = Argmin.first(values, offset, 1f, norms, count);
    }
    return ties;
  }

  /** Counting sort of the block's rows by coarse index into {@link #order}. */
  private void sortByCluster(int b) {
    Arrays.fill(clusterStart, 0);
    for (int r = 0; r < b; r++) {
      clusterStart[coarse[r] + 1]++;
    }
    for (int c = 0; c < coarseClusters; c++) {
      clusterStart[c + 1] += clusterStart[c];
    }
    System.arraycopy(clusterStart, 0, clusterCursor, 0, coarseClusters);
    for (int r = 0; r < b; r++) {
      order[clusterCursor[coarse[r]]++] = r;
    }
  }

  /** Residuals in sorted order, then one gemm per coarse cluster present: {@code Y_g = E_g R_g^T}. */
  private void rotateResiduals(int b, int h) {
    float[] centroids = model.coarseCentroids(h);
    float[] means = model.residualMeans(h);
    for (int p = 0; p < b; p++) {
      int r = order[p];
      int c = coarse[r] * half;
      Elementwise.residual(halfRows, r * half, centroids, c, means, c, residuals, p * half, half);
    }
    float[] rotation = model.rotations(h);
    for (int c = 0; c < coarseClusters; c++) {
      int count = clusterStart[c + 1] - clusterStart[c];
      if (count > 0) {
        int offset = clusterStart[c] * half;
        productNT(count, half, half, 1f, residuals, offset, rotation, model.rotationOffset(c), rotated, offset);
      }
    }
  }

  private void assignFine(float[] rows, int firstRow, int b, int h, int s, EncodedBatch out, int outStart) {
    int m = h * perHalf + s;
    for (int p = 0; p < b; p++) {
      System.arraycopy(rotated, p * half + s * sub, chunk, p * sub, sub);
    }
    if (local) {
      for (int c = 0; c < coarseClusters; c++) {
        int count = clusterStart[c + 1] - clusterStart[c];
        if (count > 0) {
          int first = clusterStart[c];
          productNT(count, clusters, sub, -2f, chunk, first * sub, model.codebook(m, c), 0, scores, first * clusters);
        }
      }
    } else {
      productNT(b, clusters, sub, -2f, chunk, 0, model.codebook(m), 0, scores, 0);
    }
    byte[] fine = out.fineArray();
    for (int p = 0; p < b; p++) {
      int r = order[p];
      int c = coarse[r];
      double scale = Blas.squaredNorm(chunk, p * sub, sub) + maxCodewordNorm[m][c];
      int ties = nearBest(scores, p * clusters, codewordNorms[m][c], clusters, NEAR_TIE_TOLERANCE * scale);
      int best = nearTies[0];
      if (ties > 1) {
        best = exactNearestCodeword(rows, (firstRow + r) * dimension + h * half, h, coarse[r], s, ties);
      }
      fine[(outStart + r) * subquantizers + m] = (byte) best;
    }
  }

  private int exactNearestCodeword(float[] rows, int xOffset, int h, int c, int s, int ties) {
    nearTiesResolved++;
    ReferenceArithmetic.residual(rows, xOffset, model.coarseCentroids(h), model.residualMeans(h), c, half,
        exactResidual);
    ReferenceArithmetic.rotateRows(model.rotations(h), model.rotationOffset(c), exactResidual, half, s * sub, sub,
        exactChunk);
    float[] codebook = model.codebook(h * perHalf + s, c);
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int t = 0; t < ties; t++) {
      int k = nearTies[t];
      double d = ReferenceArithmetic.codewordDistance(exactChunk, codebook, k, sub);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  private void decodeBlock(EncodedBatch codes, int firstRow, int b, float[] out, int outFirst) {
    byte[] fine = codes.fineArray();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      System.arraycopy(codes.coarseArray(h), firstRow, coarse, 0, b);
      sortByCluster(b);
      for (int p = 0; p < b; p++) {
        int fineOffset = (firstRow + order[p]) * subquantizers + h * perHalf;
        int cell = coarse[order[p]];
        for (int s = 0; s < perHalf; s++) {
          int k = fine[fineOffset + s] & 0xFF;
          System.arraycopy(model.codebook(h * perHalf + s, cell), k * sub, rotated, p * half + s * sub, sub);
        }
      }
      float[] rotation = model.rotations(h);
      for (int c = 0; c < coarseClusters; c++) {
        int count = clusterStart[c + 1] - clusterStart[c];
        if (count > 0) {
          int offset = clusterStart[c] * half;
          Blas.gemmNN(count, half, half, 1f, rotated, offset, rotation, model.rotationOffset(c), 0f, residuals,
              offset);
        }
      }
      float[] centroids = model.coarseCentroids(h);
      float[] means = model.residualMeans(h);
      for (int p = 0; p < b; p++) {
        int r = order[p];
        int c = coarse[r] * half;
        int src = p * half;
        int dst = (outFirst + r) * dimension + h * half;
        for (int j = 0; j < half; j++) {
          out[dst + j] = centroids[c + j] + means[c + j] + residuals[src + j];
        }
      }
    }
  }

  private void checkRows(float[] rows, int n) {
    Objects.requireNonNull(rows, "rows");
    if (n < 0) {
      throw new IllegalArgumentException("row count must be >= 0, got " + n);
    }
    if (rows.length < (long) n * dimension) {
      throw new IllegalArgumentException("rows buffer holds " + rows.length + " floats, fewer than n x D = " + n
          + " x " + dimension + " = " + ((long) n * dimension) + " (wrong dimension or row count?)");
    }
    for (int r = 0; r < n; r++) {
      int offset = r * dimension;
      for (int j = 0; j < dimension; j++) {
        if (!Float.isFinite(rows[offset + j])) {
          throw new IllegalArgumentException(
              "row " + r + " has a non-finite value " + rows[offset + j] + " at index " + j);
        }
      }
    }
  }

  private void checkBatch(EncodedBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.subquantizers() != subquantizers) {
      throw new IllegalArgumentException("batch holds " + batch.subquantizers()
          + " fine codes per row, the model has M=" + subquantizers);
    }
  }

  private void checkCodes(EncodedBatch codes, int start, int n) {
    byte[] fine = codes.fineArray();
    for (int i = start; i < start + n; i++) {
      for (int h = 0; h < LopqModel.HALVES; h++) {
        int c = codes.coarseArray(h)[i];
        if (c < 0 || c >= coarseClusters) {
          throw new IllegalArgumentException("row " + i + ": coarse index " + c + " of half " + h
              + " is out of range [0, " + coarseClusters + ")");
        }
      }
      for (int m = 0; m < subquantizers; m++) {
        int k = fine[i * subquantizers + m] & 0xFF;
        if (k >= clusters) {
          throw new IllegalArgumentException("row " + i + ": fine code " + k + " of subquantizer " + m
              + " is out of range [0, " + clusters + ")");
        }
      }
    }
  }

  /**
   * {@code C = alpha A B^T} with A {@code rows x k}, B {@code n x k}: a gemm, or for a single row
   * a gemv {@code c = alpha B a}, which skips the packing that makes a one-row gemm slow.
   */
  private static void productNT(int rows, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset,
      float[] c, int cOffset) {
    if (rows == 1) {
      Blas.gemv(n, k, alpha, b, bOffset, a, aOffset, 0f, c, cOffset);
    } else {
      Blas.gemmNT(rows, n, k, alpha, a, aOffset, b, bOffset, 0f, c, cOffset);
    }
  }

  private static float[] rowNorms(float[] matrix, int rows, int cols) {
    float[] norms = new float[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        double v = matrix[r * cols + j];
        s += v * v;
      }
      norms[r] = (float) s;
    }
    return norms;
  }

  private static float max(float[] values) {
    float m = 0f;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
