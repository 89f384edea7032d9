package io.lopq.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable Locally Optimized Product Quantization model (Kalantidis &amp; Avrithis, CVPR 2014).
 *
 * <p>A vector {@code x} in R^D is split into halves {@code x_0, x_1} of {@code D/2} dimensions. For
 * half {@code h} and coarse cluster {@code i}:
 *
 * <pre>
 *   C_h[i]   coarse centroid                (D/2)
 *   mu_h[i]  mean residual of the cluster   (D/2)
 *   R_h[i]   orthonormal local rotation     (D/2 x D/2, rows are eigenvectors, grouped by subspace)
 *   P_m      codebook of subquantizer m     (K x D/M), m in [0, M); m &lt; M/2 belong to half 0
 *
 *   c_h  = argmin_i ||x_h - C_h[i]||^2
 *   y_h  = R_h[c_h] (x_h - C_h[c_h] - mu_h[c_h])
 *   f_m  = argmin_k ||y_{chunk m} - P_m[k]||^2
 *   xhat_h = C_h[c_h] + mu_h[c_h] + R_h[c_h]^T [P_{m}[f_m] ...]
 * </pre>
 *
 * <p>With {@linkplain CodebookScope#LOCAL local codebooks} (the paper's fully local variant) every
 * coarse cluster {@code c} of half {@code h} has its own codebooks {@code P_{m,c}} for the M/2
 * subquantizers of that half, indexed like the rotations; {@code P_m} above becomes
 * {@code P_{m,c_h}}. The shared codebooks {@code P_m} are kept as well (the ones local codebooks
 * were trained from).
 *
 * <p>All matrices are stored as flat row-major {@code float} arrays so that BLAS can use them
 * directly. Accessors return the model's own arrays for speed: callers must never modify them.
 */
public final class LopqModel {
  /** The largest K whose codes fit one unsigned byte. */
  public static final int MAX_SUBQUANTIZER_CLUSTERS = 256;
  /** K unless told otherwise. */
  public static final int DEFAULT_SUBQUANTIZER_CLUSTERS = 256;
  /** The number of halves of the inverted multi-index. */
  public static final int HALVES = 2;

  private final int dimension;
  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final float[][] coarseCentroids;
  private final float[][] residualMeans;
  private final float[][] rotations;
  private final float[][] codebooks;
  private final float[][][] localCodebooks;
  private final ModelMetadata metadata;
  private volatile String fingerprint;

  /**
   * Creates a model after checking every shape. Arrays are used as given (not copied): the caller
   * hands them over and must not modify them afterwards.
   *
   * @param dimension D, even and divisible by {@code subquantizers}
   * @param coarseClusters V, clusters per half
   * @param subquantizers M, even
   * @param subquantizerClusters K in [1, 256]
   * @param coarseCentroids per half, V x D/2
   * @param residualMeans per half, V x D/2
   * @param rotations per half, V blocks of D/2 x D/2
   * @param codebooks per subquantizer, K x D/M
   * @param metadata how the model was made
   */
  public LopqModel(
      int dimension,
      int coarseClusters,
      int subquantizers,
      int subquantizerClusters,
      float[][] coarseCentroids,
      float[][] residualMeans,
      float[][] rotations,
      float[][] codebooks,
      ModelMetadata metadata) {
    this(dimension, coarseClusters, subquantizers, subquantizerClusters, coarseCentroids, residualMeans, rotations,
        codebooks, null, metadata);
  }

  /**
   * Creates a model with per-cluster codebooks after checking every shape (arrays are used as given).
   *
   * @param localCodebooks null for {@linkplain CodebookScope#GLOBAL shared codebooks} only, else per
   *     subquantizer m and coarse cluster c of half {@code m / (M/2)} a K x D/M codebook
   * @see #LopqModel(int, int, int, int, float[][], float[][], float[][], float[][], ModelMetadata)
   */
  public LopqModel(
      int dimension,
      int coarseClusters,
      int subquantizers,
      int subquantizerClusters,
      float[][] coarseCentroids,
      float[][] residualMeans,
      float[][] rotations,
      float[][] codebooks,
      float[][][] localCodebooks,
      ModelMetadata metadata) {
    checkParameters(dimension, coarseClusters, subquantizers, subquantizerClusters);
    int half = dimension / 2;
    int sub = dimension / subquantizers;
    checkHalves("coarse centroids", coarseCentroids, (long) coarseClusters * half,
        coarseClusters + " x " + half);
    checkHalves("residual means", residualMeans, (long) coarseClusters * half,
        coarseClusters + " x " + half);
    checkHalves("rotations", rotations, (long) coarseClusters * half * half,
        coarseClusters + " x " + half + " x " + half);
    Objects.requireNonNull(codebooks, "codebooks");
    if (codebooks.length != subquantizers) {
      throw new IllegalArgumentException(
          "expected " + subquantizers + " subquantizer codebooks (M), got " + codebooks.length);
    }
    for (int m = 0; m < subquantizers; m++) {
      checkArray("codebook " + m, codebooks[m], (long) subquantizerClusters * sub,
          subquantizerClusters + " x " + sub);
    }
    if (localCodebooks != null) {
      if (localCodebooks.length != subquantizers) {
        throw new IllegalArgumentException("expected local codebooks of " + subquantizers
            + " subquantizers (M), got " + localCodebooks.length);
      }
      for (int m = 0; m < subquantizers; m++) {
        if (localCodebooks[m] == null || localCodebooks[m].length != coarseClusters) {
          throw new IllegalArgumentException("expected local codebooks of subquantizer " + m + " for "
              + coarseClusters + " coarse clusters (V), got "
              + (localCodebooks[m] == null ? "none" : String.valueOf(localCodebooks[m].length)));
        }
        for (int c = 0; c < coarseClusters; c++) {
          checkArray("local codebook " + m + " of cluster " + c, localCodebooks[m][c],
              (long) subquantizerClusters * sub, subquantizerClusters + " x " + sub);
        }
      }
    }
    this.dimension = dimension;
    this.coarseClusters = coarseClusters;
    this.subquantizers = subquantizers;
    this.subquantizerClusters = subquantizerClusters;
    this.coarseCentroids = coarseCentroids;
    this.residualMeans = residualMeans;
    this.rotations = rotations;
    this.codebooks = codebooks;
    this.localCodebooks = localCodebooks;
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * Checks D, V, M and K and names the first one that is wrong.
   *
   * @throws IllegalArgumentException naming the parameter, its value and what was expected
   */
  public static void checkParameters(int dimension, int coarseClusters, int subquantizers, int subquantizerClusters) {
    if (dimension < 2 || dimension % 2 != 0) {
      throw new IllegalArgumentException("dimension D must be even and >= 2, got " + dimension);
    }
    if (coarseClusters < 1) {
      throw new IllegalArgumentException("coarse clusters V must be >= 1, got " + coarseClusters);
    }
    if (subquantizers < 2 || subquantizers % 2 != 0) {
      throw new IllegalArgumentException(
          "subquantizers M must be even and >= 2 (M/2 per half), got " + subquantizers);
    }
    if (dimension % subquantizers != 0) {
      throw new IllegalArgumentException(
          "dimension D=" + dimension + " must be divisible by subquantizers M=" + subquantizers);
    }
    if (subquantizerClusters < 1 || subquantizerClusters > MAX_SUBQUANTIZER_CLUSTERS) {
      throw new IllegalArgumentException(
          "subquantizer clusters K must be in [1, " + MAX_SUBQUANTIZER_CLUSTERS
              + "] so that a fine code fits one byte, got " + subquantizerClusters);
    }
  }

  private static void checkHalves(String what, float[][] halves, long expected, String shape) {
    Objects.requireNonNull(halves, what);
    if (halves.length != HALVES) {
      throw new IllegalArgumentException("expected " + HALVES + " halves of " + what + ", got " + halves.length);
    }
    for (int h = 0; h < HALVES; h++) {
      checkArray(what + " of half " + h, halves[h], expected, shape);
    }
  }

  private static void checkArray(String what, float[] values, long expected, String shape) {
    if (values == null) {
      throw new IllegalArgumentException(what + " is missing (expected " + shape + ")");
    }
    if (values.length != expected) {
      throw new IllegalArgumentException(
          what + " has " + values.length + " values, expected " + shape + " = " + expected);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(what + " has a non-finite value " + values[i] + " at index " + i);
      }
    }
  }

  /** D, the vector dimension. */
  public int dimension() {
    return dimension;
  }

  /** D/2, the dimension of one half. */
  public int halfDimension() {
    return dimension / 2;
  }

  /** D/M, the dimension of one subquantizer's chunk. */
  public int subDimension() {
    return dimension / subquantizers;
  }

  /** V, coarse clusters per half. */
  public int coarseClusters() {
    return coarseClusters;
  }

  /** M, subquantizers in total. */
  public int subquantizers() {
    return subquantizers;
  }

  /** M/2, subquantizers per half. */
  public int subquantizersPerHalf() {
    return subquantizers / 2;
  }

  /** K, centroids per subquantizer. */
  public int subquantizerClusters() {
    return subquantizerClusters;
  }

  /** Coarse centroids of half {@code h}: V x D/2 row-major. Do not modify. */
  public float[] coarseCentroids(int h) {
    return coarseCentroids[h];
  }

  /** Residual means of half {@code h}: V x D/2 row-major. Do not modify. */
  public float[] residualMeans(int h) {
    return residualMeans[h];
  }

  /** Rotations of half {@code h}: V blocks of D/2 x D/2 row-major. Do not modify. */
  public float[] rotations(int h) {
    return rotations[h];
  }

  /** Offset of cluster {@code i}'s rotation inside {@link #rotations(int)}. */
  public int rotationOffset(int i) {
    int half = halfDimension();
    return i * half * half;
  }

  /**
   * The shared codebook of subquantizer {@code m}: K x D/M row-major (with local codebooks, the one
   * they were trained from; encoding uses {@link #codebook(int, int)}). Do not modify.
   */
  public float[] codebook(int m) {
    return codebooks[m];
  }

  /**
   * The codebook subquantizer {@code m} uses in coarse cluster {@code cluster} of its half
   * ({@code m / (M/2)}): K x D/M row-major; the shared {@link #codebook(int)} unless the model has
   * local codebooks. Do not modify.
   */
  public float[] codebook(int m, int cluster) {
    return localCodebooks == null ? codebooks[m] : localCodebooks[m][cluster];
  }

  /** Whether the codebooks are shared by all cells or per coarse cluster. */
  public CodebookScope codebookScope() {
    return localCodebooks == null ? CodebookScope.GLOBAL : CodebookScope.LOCAL;
  }

  /** True if every coarse cluster has its own codebooks ({@link CodebookScope#LOCAL}). */
  public boolean hasLocalCodebooks() {
    return localCodebooks != null;
  }

  /** The same model with these per-cluster codebooks ([m][c], K x D/M each; null = shared only). */
  public LopqModel withLocalCodebooks(float[][][] newLocalCodebooks) {
    return new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters,
        coarseCentroids, residualMeans, rotations, codebooks, newLocalCodebooks, metadata);
  }

  /** How the model was made. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /** The same arrays with other metadata. */
  public LopqModel withMetadata(ModelMetadata newMetadata) {
    return new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters,
        coarseCentroids, residualMeans, rotations, codebooks, localCodebooks, newMetadata);
  }

  /** Bytes one code takes: two coarse indices and M fine bytes. */
  public int codeBytes() {
    int coarseBytes = coarseClusters <= 256 ? 1 : coarseClusters <= 65536 ? 2 : 4;
    return 2 * coarseBytes + subquantizers;
  }

  /**
   * A content hash of the shapes and arrays (not of the metadata): two models with the same
   * fingerprint encode every vector the same way. Encoded datasets record it so that no job mixes
   * data from different models.
   */
  public String fingerprint() {
    String f = fingerprint;
    if (f == null) {
      f = computeFingerprint();
      fingerprint = f;
    }
    return f;
  }

  private String computeFingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(dimension).putInt(coarseClusters).putInt(subquantizers).putInt(subquantizerClusters);
      digest.update(header.array());
      for (int h = 0; h < HALVES; h++) {
        update(digest, coarseCentroids[h]);
        update(digest, residualMeans[h]);
        update(digest, rotations[h]);
      }
      for (float[] codebook : codebooks) {
        update(digest, codebook);
      }
      if (localCodebooks != null) {
        digest.update("local codebooks".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (float[][] perCluster : localCodebooks) {
          for (float[] codebook : perCluster) {
            update(digest, codebook);
          }
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static void update(MessageDigest digest, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      buffer.putFloat(values[i]);
      if (!buffer.hasRemaining()) {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
    digest.update(buffer.array(), 0, buffer.position());
  }

  @Override
  public String toString() {
    return "LopqModel{D=" + dimension + ", V=" + coarseClusters + ", M=" + subquantizers
        + ", K=" + subquantizerClusters + (localCodebooks == null ? "" : ", local codebooks") + ", fingerprint=" + fingerprint() + "}";
  }
}
