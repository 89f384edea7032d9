package io.lopq.spark.sql;

import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.JoinType;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * A {@code NEAREST BY} join the LOPQ index answers: for each row of {@code left}, the {@code k}
 * rows of {@code right} (a scan of a {@code lopq} table) with the smallest {@code ranking} among
 * the candidates LOPQ proposes for {@code query} (the left side's vector in the ranking's
 * {@code vector_l2_distance}). Same output as Spark's {@code NearestByJoin} (every column nullable).
 * Planned as {@link IndexedNearestByExec}; its fields besides the children are a {@link JoinSpec}.
 */
public final class IndexedNearestBy extends LogicalPlan {
  private final LogicalPlan left;
  private final LogicalPlan right;
  private final JoinSpec spec;

  /** The join; the arguments after the children are {@link JoinSpec}'s (Spark copies nodes through this). */
  public IndexedNearestBy(LogicalPlan left, LogicalPlan right, JoinType joinType, int k, Expression ranking,
      Expression query, Expression rightId, IndexBinding binding, JoinSettings.Resolved settings) {
    this(left, right, new JoinSpec(joinType, k, ranking, query, rightId, binding, settings));
  }

  IndexedNearestBy(LogicalPlan left, LogicalPlan right, JoinSpec spec) {
    this.left = Objects.requireNonNull(left, "left");
    this.right = Objects.requireNonNull(right, "right");
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  public LogicalPlan left() {
    return left;
  }

  public LogicalPlan right() {
    return right;
  }

  /** The join's fields besides its children. */
  JoinSpec spec() {
    return spec;
  }

  @Override
  public Seq<Attribute> output() {
    return JoinSpec.output(left, right);
  }

  @Override
  public Seq<LogicalPlan> children() {
    return Scala.seq(left, right);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return new IndexedNearestBy(newChildren.apply(0), newChildren.apply(1), spec);
  }

  @Override
  public String simpleString(int maxFields) {
    return spec.describe(nodeName(), right);
  }

  @Override
  public int productArity() {
    return JoinSpec.ARITY;
  }

  @Override
  public Object productElement(int n) {
    return spec.productElement(left, right, n);
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof IndexedNearestBy;
  }
}
