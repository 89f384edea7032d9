package io.lopq.spark.train;

import io.lopq.math.Seeds;

/**
 * The seed streams of the distributed trainer's sampling, derived from the training seed with
 * {@link Seeds#derive}, and kept apart from the single-machine trainer's streams (1 to 3) so that
 * no two random choices share a stream.
 */
final class Streams {
  /** The training sample (coarse and subquantizer k-means). */
  static final long TRAINING_SAMPLE = 11;
  /** Each subquantizer's rows (sub-stream: the subquantizer). */
  static final long SUBQUANTIZER_SAMPLE = 12;
  /** The rows encoded to estimate the distortion. */
  static final long DISTORTION_SAMPLE = 13;

  /** The sub-sample Spark MLlib's k-means|| runs on. */
  static final long COARSE_SPARK_SAMPLE = 14;

  /** The rows a subquantizer's k-means++ seeding looks at (sub-stream: the subquantizer). */
  static final long SUBQUANTIZER_SEEDING = 15;

  private Streams() {}

  static long subquantizerSeeding(long seed, int m) {
    return Seeds.derive(seed, SUBQUANTIZER_SEEDING, m);
  }

  static long coarseSparkSample(long seed) {
    return Seeds.derive(seed, COARSE_SPARK_SAMPLE);
  }

  static long trainingSample(long seed) {
    return Seeds.derive(seed, TRAINING_SAMPLE);
  }

  static long subquantizerSample(long seed, int m) {
    return Seeds.derive(seed, SUBQUANTIZER_SAMPLE, m);
  }

  static long distortionSample(long seed) {
    return Seeds.derive(seed, DISTORTION_SAMPLE);
  }
}
