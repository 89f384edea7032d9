package io.lopq.spark.sql;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.JoinType;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import scala.collection.immutable.Seq;

/**
 * What the logical {@link IndexedNearestBy} and the physical {@link IndexedNearestByExec} hold
 * besides their two children, and what both do with it. Both nodes list these fields flat after
 * the children as their product elements (in this order), so that Spark finds the expressions among
 * them and can copy a node through its public constructor.
 *
 * @param joinType Inner or LeftOuter
 * @param k results per query row
 * @param ranking the user's ranking expression (smaller is nearer)
 * @param query the left side's vector, compared by L2 distance to the table's vector
 * @param rightId the table's id column as the right side outputs it
 * @param binding the table's model and index
 * @param settings the search settings in force
 */
record JoinSpec(JoinType joinType, int k, Expression ranking, Expression query, Expression rightId,
    IndexBinding binding, JoinSettings.Resolved settings) {
  /** Product elements of either node: left, right, then this record's seven fields. */
  static final int ARITY = 9;

  JoinSpec {
    Objects.requireNonNull(joinType, "joinType");
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(rightId, "rightId");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(settings, "settings");
  }

  /** Element {@code n} of a node with children {@code left} and {@code right}. */
  Object productElement(Object left, Object right, int n) {
    return switch (n) {
      case 0 -> Objects.requireNonNull(left, "left");
      case 1 -> Objects.requireNonNull(right, "right");
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

  /** The join's output: the left side's columns, then the right side's, all nullable (as Spark's join). */
  static Seq<Attribute> output(QueryPlan<?> left, QueryPlan<?> right) {
    return Scala.seq(Scala.nullable(Scala.concat(left.output(), right.output())));
  }

  /** What collecting the right side (these columns, the index's row count) takes, estimated. */
  TableSize tableSize(QueryPlan<?> right) {
    List<Attribute> columns = Scala.list(right.output());
    return TableSize.of(columns, binding.model().dimension(), binding.encoded().rowCount(),
        rightId.dataType().equals(org.apache.spark.sql.types.DataTypes.StringType));
  }

  /**
   * Refuses, before anything runs, a table whose collected rows would exceed {@code maxTableBytes}.
   *
   * @throws IllegalArgumentException naming the table, the estimate and the limit's setting
   */
  void requireTableFits(QueryPlan<?> right) {
    TableSize size = tableSize(right);
    long limit = settings.maxTableBytes();
    if (size.bytes() > limit) {
      String setting = JoinSettings.CONF_PREFIX + JoinSettings.MAX_TABLE_BYTES.name();
      throw new IllegalArgumentException(binding.table() + ": APPROX NEAREST BY collects the table's rows on the "
          + "driver and broadcasts them, about " + size + ", more than the limit of " + TableSize.bytes(limit)
          + " (" + setting + ", or the table option " + JoinSettings.MAX_TABLE_BYTES.name() + "); raise it "
          + "together with spark.driver.maxResultSize and the driver's memory, select fewer of the table's "
          + "columns, or write EXACT NEAREST BY for Spark's own plan (the whole cross product)");
    }
  }

  /** The one line EXPLAIN shows for either node. */
  String describe(String nodeName, QueryPlan<?> right) {
    return nodeName + " " + joinType.sql() + " APPROX NEAREST " + k + " BY DISTANCE " + ranking.sql()
        + " via LOPQ index (candidates=" + settings.candidates(k) + ", rerankDepth=" + settings.depth(k)
        + ", table ~" + TableSize.bytes(tableSize(right).bytes()) + ", maxTableBytes="
        + TableSize.bytes(settings.maxTableBytes()) + ") of " + binding;
  }
}
