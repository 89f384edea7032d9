package io.lopq.spark.ml;

import io.lopq.param.Param;
import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * Spark ML params made from this project's declarations ({@link Param}): the same name, the doc
 * with what values must be, the declared default (set on the owner) and the declared check as the
 * validator. Enums become string params of their lower-case names ("global", "identity").
 *
 * <pre>
 *   IntParam v = MlParams.declare(this, MlParams.intParam(this, TrainingParams.COARSE_CLUSTERS),
 *       TrainingParams.COARSE_CLUSTERS);   // "coarseClusters", default 16, valid when &gt;= 1
 * </pre>
 */
final class MlParams {
  private MlParams() {}

  /** An int param declared by {@code param}. */
  static IntParam intParam(Params owner, Param<Integer> param) {
    return new IntParam(owner, param.name(), doc(param), new Valid<>(param));
  }

  /** A long param declared by {@code param}. */
  static LongParam longParam(Params owner, Param<Long> param) {
    return new LongParam(owner, param.name(), doc(param), new Valid<>(param));
  }

  /** A double param declared by {@code param}. */
  static DoubleParam doubleParam(Params owner, Param<Double> param) {
    return new DoubleParam(owner, param.name(), doc(param), new Valid<>(param));
  }

  /** A boolean param declared by {@code param}. */
  static BooleanParam booleanParam(Params owner, Param<Boolean> param) {
    return new BooleanParam(owner, param.name(), doc(param));
  }

  /** A string param declared by {@code param}: a string, or an enum written in lower case. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static org.apache.spark.ml.param.Param<String> stringParam(Params owner, Param<?> param) {
    if (param.type() != String.class && !param.type().isEnum()) {
      throw new IllegalArgumentException(param + " holds " + param.type().getSimpleName() + ", not text");
    }
    return new org.apache.spark.ml.param.Param(owner, param.name(), doc(param), new Valid<>(param));
  }

  /** Sets {@code ml}'s default on its owner to the declared default (if any) and returns {@code ml}. */
  @SuppressWarnings("unchecked")
  static <P extends org.apache.spark.ml.param.Param<?>> P declare(Params owner, P ml, Param<?> param) {
    if (param.defaultValue() != null) {
      owner.setDefault((org.apache.spark.ml.param.Param<Object>) ml, mlValue(param.defaultValue()));
    }
    return ml;
  }

  /** The declared value a Spark ML value stands for (enums are read from their names). */
  static <T> T value(Param<T> param, Object ml) {
    return ml instanceof String text && param.type() != String.class ? param.parse(text) : cast(ml);
  }

  /** The doc Spark ML shows ({@code explainParams}): the declared doc and what values must be. */
  static String doc(Param<?> param) {
    String expected = param.expectation();
    return expected == null ? param.doc() : param.doc() + " (" + expected + ")";
  }

  private static Object mlValue(Object value) {
    return value instanceof Enum<?> e ? Param.lowerName(e) : value;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  /** The declared check as a Spark ML validator. */
  private static final class Valid<T> extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Param<T> param;

    Valid(Param<T> param) {
      this.param = param;
    }

    @Override
    public Object apply(Object value) {
      try {
        return param.isValid(value(param, value));
      } catch (IllegalArgumentException | ClassCastException e) {
        return false;
      }
    }
  }
}
