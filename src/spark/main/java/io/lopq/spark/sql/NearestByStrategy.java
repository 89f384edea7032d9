package io.lopq.spark.sql;

import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.collection.immutable.Seq;

/**
 * Plans {@link IndexedNearestBy} as {@link IndexedNearestByExec} and {@link NearestByNote} as
 * {@link NearestByNoteExec}. An indexed join whose table (as the optimized plan keeps its columns)
 * would exceed {@code maxTableBytes} is refused here, before any job runs.
 */
public final class NearestByStrategy extends SparkStrategy {
  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    if (plan instanceof IndexedNearestBy j) {
      j.spec().requireTableFits(j.right());
      return Scala.seq(new IndexedNearestByExec(planLater(j.left()), planLater(j.right()), j.spec()));
    }
    if (plan instanceof NearestByNote n) {
      return Scala.seq(new NearestByNoteExec(n.reason(), planLater(n.child())));
    }
    return Scala.seq();
  }
}
