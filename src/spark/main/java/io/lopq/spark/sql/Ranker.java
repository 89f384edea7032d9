package io.lopq.spark.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.Optional;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import scala.Tuple2;
import scala.collection.immutable.Seq;

/**
 * One task's exact ranking: for each left row and its candidate ids, the ranking expression on
 * (left row, candidate row), the {@code k} smallest values best first (nulls skipped; ties keep the
 * candidates' ADC order), as output rows; a left row without any ranked candidate is dropped, or
 * kept with nulls for a LEFT OUTER join.
 */
final class Ranker implements Iterator<InternalRow> {
  private final Iterator<Tuple2<Long, Tuple2<InternalRow, Optional<Object[]>>>> in;
  private final RowTable table;
  private final UnsafeProjection rank;
  private final UnsafeProjection output;
  private final DataType rankType;
  private final int rightWidth;
  private final int k;
  private final boolean outer;
  private final InternalRow nullRight;
  private final JoinedRow joined = new JoinedRow();
  private final ArrayDeque<InternalRow> pending = new ArrayDeque<>();

  Ranker(Iterator<Tuple2<Long, Tuple2<InternalRow, Optional<Object[]>>>> in, RowTable table,
      Seq<Expression> ranking, Seq<Expression> output, Seq<Attribute> schema, int rightWidth, int k, boolean outer) {
    this.in = in;
    this.table = table;
    this.rank = UnsafeProjection.create(ranking, schema);
    this.output = UnsafeProjection.create(output, schema);
    this.rankType = ranking.head().dataType();
    this.rightWidth = rightWidth;
    this.k = k;
    this.outer = outer;
    this.nullRight = new GenericInternalRow(rightWidth);
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty() && in.hasNext()) {
      Tuple2<InternalRow, Optional<Object[]>> next = in.next()._2();
      rank(next._1(), next._2().isPresent() ? next._2().get() : new Object[0]);
    }
    return !pending.isEmpty();
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.poll();
  }

  private void rank(InternalRow left, Object[] ids) {
    List<Scored> scored = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      UnsafeRow right = table.row(ids[i]);
      if (right == null) {
        continue; // an id of a stale index served on purpose: no longer in the table
      }
      UnsafeRow value = rank.apply(joined.apply(left, right));
      if (value.isNullAt(0)) {
        continue;
      }
      scored.add(new Scored(value(value), i, right));
    }
    scored.sort((a, b) -> a.value != b.value ? Double.compare(a.value, b.value) : Integer.compare(a.order, b.order));
    int n = Math.min(k, scored.size());
    for (int i = 0; i < n; i++) {
      pending.add(output.apply(joined.apply(left, scored.get(i).right)).copy());
    }
    if (n == 0 && outer) {
      pending.add(output.apply(joined.apply(left, nullRight)).copy());
    }
  }

  private double value(UnsafeRow row) {
    if (rankType instanceof DoubleType) {
      return row.getDouble(0);
    } else if (rankType instanceof FloatType) {
      return row.getFloat(0);
    } else if (rankType instanceof LongType) {
      return row.getLong(0);
    } else if (rankType instanceof IntegerType) {
      return row.getInt(0);
    } else if (rankType instanceof ShortType) {
      return row.getShort(0);
    } else if (rankType instanceof ByteType) {
      return row.getByte(0);
    } else if (rankType instanceof DecimalType d) {
      return row.getDecimal(0, d.precision(), d.scale()).toDouble();
    }
    throw new IllegalStateException("ranking type " + rankType.simpleString() + " is not numeric");
  }

  private record Scored(double value, int order, UnsafeRow right) {}
}
