package io.lopq.spark.sql;

import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.collection.immutable.Seq;

/** Plans {@link IndexedNearestBy} as {@link IndexedNearestByExec} and {@link NearestByNote} as {@link NearestByNoteExec}. */
public final class NearestByStrategy extends SparkStrategy {
  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    if (plan instanceof IndexedNearestBy j) {
      return Scala.seq(new IndexedNearestByExec(planLater(j.left()), planLater(j.right()), j.joinType(), j.k(),
          j.ranking(), j.query(), j.rightId(), j.binding(), j.settings()));
    }
    if (plan instanceof NearestByNote n) {
      return Scala.seq(new NearestByNoteExec(n.reason(), planLater(n.child())));
    }
    return Scala.seq();
  }
}
