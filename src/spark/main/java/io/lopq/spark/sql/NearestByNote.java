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

  /** Product elements of either note node: the reason, then the child. */
  static final int ARITY = 2;

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
    return describe(nodeName(), reason);
  }

  @Override
  public int productArity() {
    return ARITY;
  }

  @Override
  public Object productElement(int n) {
    return productElement(reason, child, n);
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof NearestByNote;
  }

  /** Element {@code n} of a note node (this one or {@link NearestByNoteExec}). */
  static Object productElement(String reason, Object child, int n) {
    return switch (n) {
      case 0 -> reason;
      case 1 -> child;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  /** The one line EXPLAIN shows for either note node. */
  static String describe(String nodeName, String reason) {
    return nodeName + " " + PREFIX + reason;
  }
}
