package io.lopq.spark.search;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * Sends routed queries ({@link RoutedQuery}: routed once, in the planning pass) to the buckets of
 * the shuffle plan: each query's visited cells become units ({@link BucketPlan#queryUnits}),
 * grouped by bucket into one {@link QueryRequest} per {@code (query, bucket)}. The first request of
 * a query carries its count of visited cells.
 */
public final class BucketRequests implements Iterator<Tuple2<Integer, QueryRequest>> {
  private final Iterator<Tuple2<Long, RoutedQuery>> queries;
  private final BucketPlan plan;
  private final int[] units;
  private int[] visited = new int[64];
  private long[] packed = new long[64];
  private final ArrayDeque<Tuple2<Integer, QueryRequest>> ready = new ArrayDeque<>();

  /** Requests for {@code queries}. */
  public BucketRequests(Iterator<Tuple2<Long, RoutedQuery>> queries, BucketPlan plan) {
    this.queries = queries;
    this.plan = plan;
    this.units = new int[plan.maxUnitsPerCell()];
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && queries.hasNext()) {
      route(queries.next());
    }
    return !ready.isEmpty();
  }

  @Override
  public Tuple2<Integer, QueryRequest> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void route(Tuple2<Long, RoutedQuery> routed) {
    long index = routed._1();
    RoutedQuery query = routed._2();
    int cells = query.cellCount();
    visited = query.cells(visited);
    int count = 0;
    for (int i = 0; i < cells; i++) {
      int n = plan.queryUnits(visited[i], index, units);
      for (int j = 0; j < n; j++) {
        if (count == packed.length) {
          packed = Arrays.copyOf(packed, 2 * count);
        }
        packed[count++] = ((long) plan.bucketOf(units[j]) << Integer.SIZE) | units[j];
      }
    }
    Arrays.sort(packed, 0, count);
    long visitedCells = query.visitedCells();
    if (count == 0) {
      ready.add(new Tuple2<>(0, new QueryRequest(index, query.query(), new long[0], visitedCells)));
      return;
    }
    for (int start = 0; start < count; ) {
      int bucket = (int) (packed[start] >>> Integer.SIZE);
      int end = start;
      while (end < count && (int) (packed[end] >>> Integer.SIZE) == bucket) {
        end++;
      }
      long[] bucketUnits = new long[end - start];
      for (int j = start; j < end; j++) {
        bucketUnits[j - start] = (int) packed[j];
      }
      ready.add(new Tuple2<>(bucket, new QueryRequest(index, query.query(), bucketUnits, visitedCells)));
      visitedCells = 0;
      start = end;
    }
  }
}
