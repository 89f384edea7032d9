package io.lopq.format.vectors;

import java.util.SplittableRandom;

/**
 * One random, realistic edit of a square grayscale image (values 0..255): the kind of change that
 * makes two photos of the same thing differ. All amplitudes scale with a strength {@code s} in
 * [0, 1], so that weak edits give near-duplicates of their source and strong ones give clearly
 * different views.
 *
 * <pre>
 *   geometry: rotate by a in [-A s, A s], scale by 1 + z, z in [-Z s, Z s], shift by (dx, dy) in [-T s, T s]^2,
 *             sampled bilinearly about the image centre (outside the image reads 0)
 *   tone:     v = contrast * w + brightness + sigma * n,   contrast in 1 +- C s, brightness in +- B s,
 *             sigma = N s, n ~ N(0, 1) per pixel
 *   occlusion (probability P s): a rectangle of side 3 + U(0 .. O s) pixels filled with one grey level
 *   finally v is clamped to [0, 255] and rounded to an integer (so .bvecs and .fvecs hold the same values)
 * </pre>
 *
 * The edit is drawn from a {@link SplittableRandom} the caller seeds (one per output row), so an edit
 * is a pure function of that seed.
 */
public final class ImageVariation {
  /** Largest rotation, in degrees, at strength 1. */
  static final double MAX_ROTATION_DEGREES = 12.0;
  /** Largest relative change of scale at strength 1. */
  static final double MAX_ZOOM = 0.12;
  /** Largest shift, in pixels per axis, at strength 1. */
  static final double MAX_SHIFT = 3.0;
  /** Largest relative change of contrast at strength 1. */
  static final double MAX_CONTRAST = 0.35;
  /** Largest change of brightness, in grey levels, at strength 1. */
  static final double MAX_BRIGHTNESS = 35.0;
  /** Standard deviation of the pixel noise, in grey levels, at strength 1. */
  static final double MAX_NOISE = 14.0;
  /** Probability of an occluding rectangle at strength 1. */
  static final double OCCLUSION_PROBABILITY = 0.5;
  /** Smallest side of an occluding rectangle, in pixels. */
  static final int MIN_OCCLUSION_SIDE = 3;
  /** Largest extra side of an occluding rectangle at strength 1, as a fraction of the image side. */
  static final double MAX_OCCLUSION_FRACTION = 0.35;
  /** Largest grey level. */
  static final int MAX_LEVEL = 255;

  private final double cos;
  private final double sin;
  private final double zoom;
  private final double dx;
  private final double dy;
  private final double contrast;
  private final double brightness;
  private final double noise;
  private final int occlusionX;
  private final int occlusionY;
  private final int occlusionSide;
  private final double occlusionLevel;

  private ImageVariation(SplittableRandom random, double strength, int side) {
    double angle = Math.toRadians(symmetric(random, MAX_ROTATION_DEGREES * strength));
    cos = Math.cos(angle);
    sin = Math.sin(angle);
    zoom = 1.0 + symmetric(random, MAX_ZOOM * strength);
    dx = symmetric(random, MAX_SHIFT * strength);
    dy = symmetric(random, MAX_SHIFT * strength);
    contrast = 1.0 + symmetric(random, MAX_CONTRAST * strength);
    brightness = symmetric(random, MAX_BRIGHTNESS * strength);
    noise = MAX_NOISE * strength;
    if (random.nextDouble() < OCCLUSION_PROBABILITY * strength) {
      occlusionSide = Math.min(side, MIN_OCCLUSION_SIDE
          + (int) Math.floor(random.nextDouble() * MAX_OCCLUSION_FRACTION * side * strength));
      occlusionX = random.nextInt(side - occlusionSide + 1);
      occlusionY = random.nextInt(side - occlusionSide + 1);
      occlusionLevel = Math.rint(random.nextDouble() * MAX_LEVEL);
    } else {
      occlusionSide = 0;
      occlusionX = 0;
      occlusionY = 0;
      occlusionLevel = 0;
    }
  }

  /**
   * Draws an edit of strength {@code strength} in [0, 1] for images of {@code side x side} pixels.
   * The same random state gives the same edit.
   */
  public static ImageVariation draw(SplittableRandom random, double strength, int side) {
    if (!(strength >= 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must be in [0, 1], got " + strength);
    }
    if (side < MIN_OCCLUSION_SIDE) {
      throw new IllegalArgumentException("image side must be >= " + MIN_OCCLUSION_SIDE + ", got " + side);
    }
    return new ImageVariation(random, strength, side);
  }

  /**
   * Writes the edited image {@code source[sourceOffset ..]} ({@code side x side}, row-major) to
   * {@code out[outOffset ..]}, drawing the pixel noise from {@code random}.
   */
  public void apply(float[] source, int sourceOffset, int side, SplittableRandom random, float[] out,
      int outOffset) {
    double centre = (side - 1) / 2.0;
    double inverse = 1.0 / zoom;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        // Inverse map: output pixel -> source position (rotate by -a, divide by the zoom, undo the shift).
        double ox = x - centre - dx;
        double oy = y - centre - dy;
        double sx = (cos * ox + sin * oy) * inverse + centre;
        double sy = (-sin * ox + cos * oy) * inverse + centre;
        double w = bilinear(source, sourceOffset, side, sx, sy);
        double v = contrast * w + brightness;
        if (noise > 0) {
          v += noise * gaussian(random);
        }
        if (occlusionSide > 0 && x >= occlusionX && x < occlusionX + occlusionSide && y >= occlusionY
            && y < occlusionY + occlusionSide) {
          v = occlusionLevel;
        }
        out[outOffset + y * side + x] = (float) Math.rint(Math.max(0, Math.min(MAX_LEVEL, v)));
      }
    }
  }

  private static double bilinear(float[] image, int offset, int side, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    return (1 - fy) * ((1 - fx) * pixel(image, offset, side, x0, y0) + fx * pixel(image, offset, side, x0 + 1, y0))
        + fy * ((1 - fx) * pixel(image, offset, side, x0, y0 + 1) + fx * pixel(image, offset, side, x0 + 1, y0 + 1));
  }

  private static double pixel(float[] image, int offset, int side, int x, int y) {
    return x < 0 || y < 0 || x >= side || y >= side ? 0.0 : image[offset + y * side + x];
  }

  private static double symmetric(SplittableRandom random, double amplitude) {
    return amplitude == 0 ? 0.0 : (2 * random.nextDouble() - 1) * amplitude;
  }

  /** A standard normal value (Box-Muller; SplittableRandom has no nextGaussian in Java 17). */
  static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }
}
