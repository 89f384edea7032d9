/**
 * LOPQ the Spark ML way: {@link io.lopq.spark.ml.LopqEstimator} (an Estimator with validated,
 * documented Params) trains with the distributed trainer and returns a
 * {@link io.lopq.spark.ml.LopqSparkModel}, a Transformer that adds the codes and is saved and
 * loaded through Spark ML's persistence (with the model itself in this project's format).
 */
package io.lopq.spark.ml;
