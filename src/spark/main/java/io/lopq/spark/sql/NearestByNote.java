package io.lopq.spark.sql;

import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * A pass-through node above a {@code NEAREST BY} join that Spark plans itself: it carries the one
 * line {@code EXPLAIN} shows to say why the LOPQ index was not used. Planned as
 * {@link NearestByNoteExec}; changes no row.
 */
public final class NearestByNote extends LogicalPlan {
  /** How every note begins. */
  public static final String PREFIX = "LOPQ index not used: ";

  private final String reason;
  private final LogicalPlan child;

  /** A note on {@code child} (the {@code NearestByJoin}) saying {@code reason}. */
  public NearestByNote(String reason, LogicalPlan child) {
    this.reason = Objects.requireNonNull(reason, "reason");
    this.child = Objects.requireNonNull(child, "child");
  }

  /** Why Spark's plan is kept. */
  public String reason() {
    return reason;
  }

  public LogicalPlan child() {
    return child;
  }

  @Override
  public Seq<Attribute> output() {
    return child.output();
  }

  @Override
  public Seq<LogicalPlan> children() {
    return Scala.seq(child);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return new NearestByNote(reason, newChildren.apply(0));
  }

  @Override
  public String simpleString(int maxFields) {
    return nodeName() + " " + PREFIX + reason;
  }

  @Override
  public int productArity() {
    return 2;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> reason;
      case 1 -> child;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof NearestByNote;
  }
}
