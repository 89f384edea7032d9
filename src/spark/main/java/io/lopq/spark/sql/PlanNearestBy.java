package io.lopq.spark.sql;

import io.lopq.io.vectors.VectorSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.VectorL2Distance;
import org.apache.spark.sql.catalyst.plans.NearestBySimilarity$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.NearestByJoin;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.View;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.catalyst.trees.TreeNodeTag;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractPartialFunction;

/**
 * The post-hoc resolution rule that decides, for each resolved {@code NearestByJoin}, whether the
 * LOPQ index answers it. It must run before Spark's optimizer turns the join into a cross product
 * ({@code RewriteNearestByJoin}, the optimizer's first batch), hence a resolution rule.
 *
 * <pre>
 *   APPROX, BY DISTANCE, k in range                              and
 *   right = lopq table with model and index, under aliases, views and projections only,
 *           keeping its id column                                and
 *   ranking deterministic, numeric, containing vector_l2_distance(q, table.vector)
 *           with q of the left side only
 *     -&gt; IndexedNearestBy (LOPQ proposes candidates for q, the ranking is evaluated exactly on them)
 *   else
 *     -&gt; NearestByNote(reason, the join unchanged): Spark plans it; EXPLAIN shows the reason
 * </pre>
 */
public final class PlanNearestBy extends Rule<LogicalPlan> {
  /** Marks a join already decided on (the analyzer may see a plan again). */
  static final TreeNodeTag<String> DECIDED = new TreeNodeTag<>("lopq.nearestBy.decided");

  /** A catalog table's property naming its model. */
  public static final String MODEL_PROPERTY = JoinSettings.PROPERTY_PREFIX + "model";
  /** A catalog table's property naming its encoded dataset. */
  public static final String INDEX_PROPERTY = JoinSettings.PROPERTY_PREFIX + "index";

  private final SparkSession session;

  public PlanNearestBy(SparkSession session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return plan.transformUp(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
      @Override
      public boolean isDefinedAt(LogicalPlan p) {
        return p instanceof NearestByJoin j && j.resolved() && j.getTagValue(DECIDED).isEmpty();
      }

      @Override
      public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 p, Function1<A1, B1> otherwise) {
        if (!isDefinedAt(p)) {
          return otherwise.apply(p);
        }
        @SuppressWarnings("unchecked")
        B1 decided = (B1) decide((NearestByJoin) p);
        return decided;
      }
    });
  }

  /** The plan for {@code join}: ours, or Spark's under a note. */
  LogicalPlan decide(NearestByJoin join) {
    Decision d = examine(join);
    join.setTagValue(DECIDED, d.reason == null ? "lopq" : d.reason);
    if (d.reason != null) {
      return new NearestByNote(d.reason, join);
    }
    JoinSettings.Resolved settings = d.binding.settings().resolve(session.sessionState().conf());
    return new IndexedNearestBy(join.left(), join.right(), join.joinType(), join.numResults(),
        join.rankingExpression(), d.query, d.rightId, d.binding, settings);
  }

  private Decision examine(NearestByJoin join) {
    if (!join.approx()) {
      return Decision.no("EXACT NEAREST BY is answered by Spark's exact plan (write APPROX to use the index)");
    }
    if (join.direction() == NearestBySimilarity$.MODULE$) {
      return Decision.no("BY SIMILARITY: the LOPQ index ranks by L2 distance only (write BY DISTANCE "
          + "vector_l2_distance(...))");
    }
    int k = join.numResults();
    if (k < 1 || k > NearestByJoin.MaxNumResults()) {
      return Decision.no("k=" + k + " is out of range");
    }
    LogicalPlan scan = join.right();
    while (!(scan instanceof LogicalRelation)) {
      if (scan instanceof SubqueryAlias a) {
        scan = a.child();
      } else if (scan instanceof View v) {
        scan = v.child();
      } else if (scan instanceof Project p && p.deterministic()) {
        scan = p.child();
      } else {
        return Decision.no("the right side is not a plain scan of a lopq table (" + scan.nodeName()
            + " in between; only aliases, views and projections keep the index usable)");
      }
    }
    Attribute id = attribute(scan, VectorSchema.ID);
    Attribute vector = attribute(scan, VectorSchema.VECTOR);
    IndexBinding binding = binding((LogicalRelation) scan, id);
    if (binding == null) {
      return Decision.no("the right side is not a lopq table with the options model and index (nor a table with "
          + "the properties " + MODEL_PROPERTY + " and " + INDEX_PROPERTY + ")");
    }
    if (id == null || vector == null) {
      return Decision.no(binding.table() + " has no column " + (id == null ? VectorSchema.ID : VectorSchema.VECTOR));
    }
    if (!join.right().outputSet().contains(id)) {
      return Decision.no("the right side drops the id column of " + binding.table());
    }
    Expression ranking = join.rankingExpression();
    if (!ranking.deterministic()) {
      return Decision.no("the ranking expression is not deterministic");
    }
    if (!isNumeric(ranking.dataType())) {
      return Decision.no("the ranking expression's type " + ranking.dataType().simpleString() + " is not numeric");
    }
    Expression query = queryVector(ranking, vector, join.left());
    if (query == null) {
      return Decision.no("the ranking expression has no vector_l2_distance(<left side's vector>, "
          + vector.sql() + ") the index of " + binding.table() + " can serve");
    }
    return new Decision(null, binding, id, query);
  }

  /** The index a scan carries: a lopq table's, or a catalog table's properties; null for none. */
  private IndexBinding binding(LogicalRelation scan, Attribute id) {
    if (scan.relation() instanceof LopqRelation relation) {
      return relation.binding();
    }
    if (scan.catalogTable().isEmpty() || id == null) {
      return null;
    }
    CatalogTable catalog = scan.catalogTable().get();
    Map<String, String> properties = CollectionConverters.asJava(catalog.properties());
    String model = properties.get(MODEL_PROPERTY);
    String index = properties.get(INDEX_PROPERTY);
    if (model == null && index == null) {
      return null;
    }
    String table = "table " + catalog.identifier().unquotedString();
    if (model == null || index == null) {
      throw new IllegalArgumentException(table + ": the properties " + MODEL_PROPERTY + " and " + INDEX_PROPERTY
          + " go together");
    }
    return IndexBinding.open(session, table, model, index, JoinSettings.fromProperties(table, properties),
        id.dataType(), 0);
  }

  private static Attribute attribute(LogicalPlan scan, String name) {
    for (Attribute a : Scala.list(scan.output())) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }

  /** The other argument of the first {@code vector_l2_distance(x, vector)} with x from the left side only. */
  private static Expression queryVector(Expression ranking, Attribute vector, LogicalPlan left) {
    Deque<Expression> todo = new ArrayDeque<>();
    todo.push(ranking);
    while (!todo.isEmpty()) {
      Expression e = todo.pop();
      if (e instanceof VectorL2Distance d) {
        Expression other = isVector(d.left(), vector) ? d.right() : isVector(d.right(), vector) ? d.left() : null;
        if (other != null && other.deterministic() && other.references().subsetOf(left.outputSet())) {
          return other;
        }
      }
      for (Expression child : Scala.list(e.children())) {
        todo.push(child);
      }
    }
    return null;
  }

  private static boolean isVector(Expression e, Attribute vector) {
    return e instanceof AttributeReference a && a.exprId().equals(vector.exprId());
  }

  static boolean isNumeric(DataType t) {
    return t instanceof DoubleType || t instanceof FloatType || t instanceof LongType || t instanceof IntegerType
        || t instanceof ShortType || t instanceof ByteType || t instanceof DecimalType;
  }

  private record Decision(String reason, IndexBinding binding, Attribute rightId, Expression query) {
    static Decision no(String reason) {
      return new Decision(reason, null, null, null);
    }
  }
}
