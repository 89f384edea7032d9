package io.lopq.format.vectors;

import io.lopq.math.Pca;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A data set of any size with the structure of real images: every row is a random, realistic edit
 * ({@link ImageVariation}) of one image of a source set (e.g. Fashion-MNIST), optionally projected
 * to fewer dimensions by a PCA fitted on the source (so that it resembles an image embedding).
 *
 * <pre>
 *   row i:  r_i = random state seeded by mix(seed, split, i)
 *           source image  s_i = BASE:    perm[ floor(S * u^SKEW) ]   (u ~ U(0,1); popular images get
 *                                        many variants: dense clusters beside sparse ones)
 *                                QUERIES: floor(S * u)               (uniform, like users' new photos)
 *           strength      t_i = T0 + (1 - T0) u'^STRENGTH_EXPONENT  (mostly weak edits: near-duplicates;
 *                                        T0 &gt; 0 keeps some pixel noise, so no row copies its source)
 *           x_i = clamp/round( edit_{t_i}(image[s_i]) )             784 grey levels for 28 x 28 images
 *           optionally y_i = P (x_i - mu)                           (PCA fitted on the source)
 * </pre>
 *
 * Row {@code i} is a pure function of the seed, the split and {@code i}: it does not depend on how
 * many rows are generated or on how they are divided among threads or tasks. Projected rows are
 * computed in fixed, aligned chunks of {@link #CHUNK_ROWS} rows ({@link #chunk}), so that even the
 * matrix product sees the same operands for a given row whatever range is asked for.
 * Queries use another stream than the base (and usually another source, e.g. the test images), so
 * a query is never a row of the base.
 */
public final class VariedImageCorpus {
  /** Rows generated together; projected rows are multiplied in these aligned chunks. */
  public static final int CHUNK_ROWS = 256;
  /** Exponent of the popularity skew of source images in the base: the share of rows of the most popular fraction f of images is f^(1/SKEW). */
  static final double POPULARITY_SKEW = 2.0;
  /** Exponent of the edit strength: most edits are weak, a few strong. */
  static final double STRENGTH_EXPONENT = 2.0;
  /** The weakest edit (T0): enough noise that no row equals its source image or another row. */
  static final double MIN_STRENGTH = 0.05;
  private static final long PERMUTATION_STREAM = 0x5DEECE66DL;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Which rows: the base (skewed popularity) or queries (uniform over the source, another stream). */
  public enum Split {
    BASE(0x243F6A8885A308D3L),
    QUERIES(0x13198A2E03707344L);

    private final long stream;

    Split(long stream) {
      this.stream = stream;
    }
  }

  private final float[] images;
  private final int count;
  private final int side;
  private final long seed;
  private final Split split;
  private final Pca projection;
  private final int[] popularity;

  /**
   * @param images {@code count} square grayscale images, row-major, values 0..255 (kept, not copied)
   * @param count number of source images
   * @param side image side in pixels ({@code side * side} values per image)
   * @param seed determines every row
   * @param split base or queries
   * @param projection applied to every row, or null for the raw pixels
   * @throws IllegalArgumentException on bad shapes or a projection of another input dimension
   */
  public VariedImageCorpus(float[] images, int count, int side, long seed, Split split, Pca projection) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(split, "split");
    if (count < 1 || side < ImageVariation.MIN_OCCLUSION_SIDE || images.length < (long) count * side * side) {
      throw new IllegalArgumentException("need at least one " + side + " x " + side + " image, got " + count
          + " images in " + images.length + " values");
    }
    if (projection != null && projection.inputDimension() != side * side) {
      throw new IllegalArgumentException("projection takes dimension " + projection.inputDimension()
          + ", but the images have " + side * side + " pixels");
    }
    this.images = images;
    this.count = count;
    this.side = side;
    this.seed = seed;
    this.split = split;
    this.projection = projection;
    this.popularity = SyntheticCorpus.permutation(count, new SplittableRandom(mix64(seed ^ PERMUTATION_STREAM)));
  }

  /** Dimension of a row: the components of the projection, else the pixels. */
  public int dimension() {
    return projection == null ? side * side : projection.components();
  }

  /** True when rows are raw grey levels (integers in [0, 255], writable as .bvecs). */
  public boolean isPixels() {
    return projection == null;
  }

  /** The index of the source image row {@code row} is an edit of. */
  public int sourceOf(long row) {
    return source(random(row));
  }

  /** Writes the {@link #CHUNK_ROWS} rows of chunk {@code chunk} (rows {@code chunk * CHUNK_ROWS ..}) into {@code out}. */
  public void chunk(long chunk, float[] out) {
    int pixels = side * side;
    int d = dimension();
    if (out.length < CHUNK_ROWS * d) {
      throw new IllegalArgumentException("chunk buffer holds " + out.length + " values, needs " + CHUNK_ROWS * d);
    }
    float[] raw = projection == null ? out : new float[CHUNK_ROWS * pixels];
    long first = chunk * CHUNK_ROWS;
    for (int i = 0; i < CHUNK_ROWS; i++) {
      rawRow(first + i, raw, i * pixels);
    }
    if (projection != null) {
      projection.project(raw, CHUNK_ROWS, out);
    }
  }

  /** Rows {@code [first, first + rows)} as one row-major array (computed chunk by chunk). */
  public float[] rows(long first, int rows) {
    int d = dimension();
    float[] out = new float[rows * d];
    float[] buffer = new float[CHUNK_ROWS * d];
    long end = first + rows;
    for (long c = Math.floorDiv(first, CHUNK_ROWS); c * CHUNK_ROWS < end; c++) {
      chunk(c, buffer);
      long from = Math.max(first, c * CHUNK_ROWS);
      long to = Math.min(end, (c + 1) * CHUNK_ROWS);
      System.arraycopy(buffer, (int) (from - c * CHUNK_ROWS) * d, out, (int) (from - first) * d,
          (int) (to - from) * d);
    }
    return out;
  }

  private void rawRow(long row, float[] out, int offset) {
    SplittableRandom random = random(row);
    int image = source(random);
    double strength = MIN_STRENGTH + (1 - MIN_STRENGTH) * Math.pow(random.nextDouble(), STRENGTH_EXPONENT);
    ImageVariation.draw(random, strength, side).apply(images, image * side * side, side, random, out, offset);
  }

  private SplittableRandom random(long row) {
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, got " + row);
    }
    return new SplittableRandom(mix64(seed + mix64(split.stream + row * GOLDEN)));
  }

  private int source(SplittableRandom random) {
    double u = random.nextDouble();
    if (split == Split.QUERIES) {
      return Math.min(count - 1, (int) (u * count));
    }
    return popularity[Math.min(count - 1, (int) (Math.pow(u, POPULARITY_SKEW) * count))];
  }

  /** The finalizer of SplitMix64: a bijective scramble of 64 bits. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
