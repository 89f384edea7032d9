package io.lopq.spark.sql;

import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.execution.SparkPlan;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/** The physical {@link NearestByNote}: its child's rows unchanged, and the note in {@code EXPLAIN}. */
public final class NearestByNoteExec extends SparkPlan {
  private final String reason;
  private final SparkPlan child;

  public NearestByNoteExec(String reason, SparkPlan child) {
    this.reason = Objects.requireNonNull(reason, "reason");
    this.child = Objects.requireNonNull(child, "child");
  }

  public String reason() {
    return reason;
  }

  public SparkPlan child() {
    return child;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    return child.execute();
  }

  @Override
  public Seq<Attribute> output() {
    return child.output();
  }

  @Override
  public Partitioning outputPartitioning() {
    return child.outputPartitioning();
  }

  @Override
  public Seq<SortOrder> outputOrdering() {
    return child.outputOrdering();
  }

  @Override
  public Seq<SparkPlan> children() {
    return Scala.seq(child);
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return new NearestByNoteExec(reason, newChildren.apply(0));
  }

  @Override
  public String simpleString(int maxFields) {
    return NearestByNote.describe(nodeName(), reason);
  }

  @Override
  public int productArity() {
    return NearestByNote.ARITY;
  }

  @Override
  public Object productElement(int n) {
    return NearestByNote.productElement(reason, child, n);
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof NearestByNoteExec;
  }
}
