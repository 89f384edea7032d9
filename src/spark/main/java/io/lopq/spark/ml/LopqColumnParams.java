package io.lopq.spark.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The column params the estimator and the model share ({@link LopqColumns} declares them), with
 * their getters and setters written once, as Spark ML's {@code HasInputCol}-style traits do.
 *
 * @param <S> the implementing stage, returned by the setters
 */
public interface LopqColumnParams<S extends LopqColumnParams<S>> extends Params {
  /** This stage's column params ({@link LopqColumns#declare}). */
  LopqColumns.Set lopqColumns();

  /** Input column of vectors. */
  default Param<String> inputCol() {
    return lopqColumns().inputCol();
  }

  /** Output column of the first half's coarse cluster. */
  default Param<String> coarse0Col() {
    return lopqColumns().coarse0Col();
  }

  /** Output column of the second half's coarse cluster. */
  default Param<String> coarse1Col() {
    return lopqColumns().coarse1Col();
  }

  /** Output column of the fine codes. */
  default Param<String> codesCol() {
    return lopqColumns().codesCol();
  }

  default String getInputCol() {
    return getOrDefault(inputCol());
  }

  default String getCoarse0Col() {
    return getOrDefault(coarse0Col());
  }

  default String getCoarse1Col() {
    return getOrDefault(coarse1Col());
  }

  default String getCodesCol() {
    return getOrDefault(codesCol());
  }

  default S setInputCol(String value) {
    return with(inputCol(), value);
  }

  default S setCoarse0Col(String value) {
    return with(coarse0Col(), value);
  }

  default S setCoarse1Col(String value) {
    return with(coarse1Col(), value);
  }

  default S setCodesCol(String value) {
    return with(codesCol(), value);
  }

  /** Sets {@code param} to {@code value} and returns this stage. */
  @SuppressWarnings("unchecked")
  default <T> S with(Param<T> param, T value) {
    set(param, value);
    return (S) this;
  }

  /** The input schema plus the three output columns, checked ({@link LopqColumns#outputSchema}). */
  default org.apache.spark.sql.types.StructType lopqOutputSchema(org.apache.spark.sql.types.StructType schema) {
    return LopqColumns.outputSchema(schema, getInputCol(), getCoarse0Col(), getCoarse1Col(), getCodesCol());
  }
}
