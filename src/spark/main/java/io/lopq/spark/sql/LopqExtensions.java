package io.lopq.spark.sql;

import org.apache.spark.sql.SparkSessionExtensions;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The session extension: {@code spark.sql.extensions=io.lopq.spark.sql.LopqExtensions} (the
 * launcher {@code scripts/lopq} and {@code scripts/submit} set it). Adds the rule
 * {@link PlanNearestBy} (after resolution, before Spark rewrites {@code NEAREST BY} joins into
 * cross products) and the planner strategy {@link NearestByStrategy}.
 */
public final class LopqExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
  /** The value of {@code spark.sql.extensions}. */
  public static final String CLASS_NAME = LopqExtensions.class.getName();
  /** Spark's setting that lists session extensions. */
  public static final String SETTING = "spark.sql.extensions";

  /** Spark's instance. */
  public LopqExtensions() {}

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectPostHocResolutionRule(new AbstractFunction1<>() {
      @Override
      public PlanNearestBy apply(org.apache.spark.sql.SparkSession session) {
        return new PlanNearestBy(session);
      }
    });
    extensions.injectPlannerStrategy(new AbstractFunction1<>() {
      @Override
      public NearestByStrategy apply(org.apache.spark.sql.SparkSession session) {
        return new NearestByStrategy();
      }
    });
    return BoxedUnit.UNIT;
  }
}
