package io.lopq.spark.search;

import io.lopq.search.batch.CellBlock;
import io.lopq.search.batch.CellCounts;
import io.lopq.search.batch.QueryRouter;
import java.util.Iterator;
import scala.Tuple2;

/**
 * Turns numbered queries into requests for every non-empty cell their multi-sequence visits,
 * with the cells named by their position in {@link CellCounts} (the unit keys of the broadcast
 * plan's {@link CellBlock}). Lazy: routes one query per {@link #next()}.
 */
public final class RoutedQueries implements Iterator<QueryRequest> {
  private final Iterator<Tuple2<Long, QueryRow>> queries;
  private final QueryRouter router;

  /** Requests for {@code queries}, routed by {@code router}. */
  public RoutedQueries(Iterator<Tuple2<Long, QueryRow>> queries, QueryRouter router) {
    this.queries = queries;
    this.router = router;
  }

  @Override
  public boolean hasNext() {
    return queries.hasNext();
  }

  @Override
  public QueryRequest next() {
    Tuple2<Long, QueryRow> q = queries.next();
    float[] vector = q._2().vector();
    int n = router.route(vector, 0);
    int[] cells = router.cells();
    long[] units = new long[n];
    for (int i = 0; i < n; i++) {
      units[i] = cells[i];
    }
    return new QueryRequest(q._1(), q._2(), units, router.visitedCells());
  }
}
