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
 * Planned as {@link IndexedNearestByExec}.
 */
public final class IndexedNearestBy extends LogicalPlan {
  private final LogicalPlan left;
  private final LogicalPlan right;
  private final JoinType joinType;
  private final int k;
  private final Expression ranking;
  private final Expression query;
  private final Expression rightId;
  private final IndexBinding binding;
  private final JoinSettings.Resolved settings;

  /**
   * The join.
   *
   * @param joinType Inner or LeftOuter
   * @param ranking the user's ranking expression (smaller is nearer)
   * @param query the left side's vector, compared by L2 distance to the table's vector
   * @param rightId the table's id column as {@code right} outputs it
   */
  public IndexedNearestBy(LogicalPlan left, LogicalPlan right, JoinType joinType, int k, Expression ranking,
      Expression query, Expression rightId, IndexBinding binding, JoinSettings.Resolved settings) {
    this.left = Objects.requireNonNull(left, "left");
    this.right = Objects.requireNonNull(right, "right");
    this.joinType = Objects.requireNonNull(joinType, "joinType");
    this.k = k;
    this.ranking = Objects.requireNonNull(ranking, "ranking");
    this.query = Objects.requireNonNull(query, "query");
    this.rightId = Objects.requireNonNull(rightId, "rightId");
    this.binding = Objects.requireNonNull(binding, "binding");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public LogicalPlan left() {
    return left;
  }

  public LogicalPlan right() {
    return right;
  }

  public JoinType joinType() {
    return joinType;
  }

  public int k() {
    return k;
  }

  public Expression ranking() {
    return ranking;
  }

  public Expression query() {
    return query;
  }

  public Expression rightId() {
    return rightId;
  }

  public IndexBinding binding() {
    return binding;
  }

  public JoinSettings.Resolved settings() {
    return settings;
  }

  @Override
  public Seq<Attribute> output() {
    return Scala.seq(Scala.nullable(Scala.concat(left.output(), right.output())));
  }

  @Override
  public Seq<LogicalPlan> children() {
    return Scala.seq(left, right);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return new IndexedNearestBy(newChildren.apply(0), newChildren.apply(1), joinType, k, ranking, query, rightId,
        binding, settings);
  }

  @Override
  public String simpleString(int maxFields) {
    return describe(nodeName(), joinType, k, ranking, binding, settings);
  }

  /** The one line EXPLAIN shows for the logical and the physical node. */
  static String describe(String name, JoinType joinType, int k, Expression ranking, IndexBinding binding,
      JoinSettings.Resolved settings) {
    return name + " " + joinType.sql() + " APPROX NEAREST " + k + " BY DISTANCE " + ranking.sql()
        + " via LOPQ index (candidates=" + settings.candidates(k) + ", rerankDepth=" + settings.depth(k) + ") of "
        + binding;
  }

  @Override
  public int productArity() {
    return 9;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> left;
      case 1 -> right;
      case 2 -> joinType;
      case 3 -> k;
      case 4 -> ranking;
      case 5 -> query;
      case 6 -> rightId;
      case 7 -> binding;
      case 8 -> settings;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof IndexedNearestBy;
  }
}
