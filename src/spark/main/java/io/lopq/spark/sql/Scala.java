package io.lopq.spark.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.jdk.javaapi.CollectionConverters;

/** Conversions between Java lists and the Scala sequences of Spark's Catalyst API. */
final class Scala {
  private Scala() {}

  /** An immutable Scala sequence of {@code items}. */
  @SafeVarargs
  static <T> scala.collection.immutable.Seq<T> seq(T... items) {
    return seq(List.of(items));
  }

  /** An immutable Scala sequence of {@code items}. */
  static <T> scala.collection.immutable.Seq<T> seq(List<T> items) {
    return CollectionConverters.asScala(new ArrayList<>(items)).toList();
  }

  /** A Java list of {@code items}. */
  static <T> List<T> list(scala.collection.Seq<T> items) {
    return new ArrayList<>(CollectionConverters.asJava(items));
  }

  /** Attributes as expressions (for projections). */
  static scala.collection.immutable.Seq<Expression> expressions(List<Attribute> attributes) {
    return seq(new ArrayList<Expression>(attributes));
  }

  /** {@code a ++ b}. */
  static List<Attribute> concat(scala.collection.Seq<Attribute> a, scala.collection.Seq<Attribute> b) {
    List<Attribute> all = list(a);
    all.addAll(list(b));
    return all;
  }

  /** Every attribute nullable, as a NEAREST BY join's output declares them. */
  static List<Attribute> nullable(List<Attribute> attributes) {
    List<Attribute> out = new ArrayList<>(attributes.size());
    for (Attribute a : attributes) {
      out.add(a.withNullability(true));
    }
    return out;
  }
}
