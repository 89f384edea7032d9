package io.lopq.spark.search;

import io.lopq.model.LopqModel;
import io.lopq.search.SearchOptions;
import io.lopq.search.TopK;
import io.lopq.search.batch.BatchedTables;
import io.lopq.search.batch.BlockScanner;
import io.lopq.search.batch.CellBlock;
import io.lopq.search.batch.PartialResult;
import io.lopq.search.batch.PerQueryTables;
import io.lopq.search.batch.QueryBlock;
import io.lopq.search.batch.TableBuilder;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Answers a task's stream of {@link QueryRequest}s against the task's {@link CellBlock}, a block
 * of queries at a time ({@link BlockScanner}), as {@code (query number, best rows)} pairs. Used by
 * both plans: with the whole index broadcast (units = cells) and with the index split in buckets.
 */
public final class BlockSearch extends BlockedIterator<QueryRequest, Tuple2<Long, PartialResult>> {
  private final CellBlock cells;
  private final BlockScanner scanner;
  private final QueryBlock block;
  private final QueryRequest[] requests;
  private final boolean excludeSelf;
  private final LongAccumulator tablesBuilt;
  private long reportedTables;
  private int size;

  /**
   * Answers {@code input} against {@code cells}.
   *
   * @param tablesBuilt counts the tables built (may be null)
   */
  public BlockSearch(Iterator<QueryRequest> input, LopqModel model, CellBlock cells, SearchOptions settings,
      LongAccumulator tablesBuilt) {
    super(input);
    this.cells = cells;
    TableBuilder tables = settings.exactTables() ? new PerQueryTables(model) : new BatchedTables(model);
    this.scanner = new BlockScanner(model, tables, settings.kept());
    this.block = new QueryBlock(model.dimension(), settings.queryBlock());
    this.requests = new QueryRequest[settings.queryBlock()];
    this.excludeSelf = settings.excludeSelf();
    this.tablesBuilt = tablesBuilt;
  }

  @Override
  protected void add(QueryRequest request) {
    Long self = request.selfKey();
    boolean exclude = excludeSelf && self != null;
    block.add(request.vector(), 0, exclude, exclude ? self : 0L);
    for (long unit : request.units()) {
      int u = cells.indexOf(unit);
      if (u >= 0) {
        block.addUnit(u);
      }
    }
    requests[size++] = request;
  }

  @Override
  protected boolean blockFull() {
    return block.isFull();
  }

  @Override
  protected void flush(Consumer<Tuple2<Long, PartialResult>> out) {
    scanner.scan(cells, block, (int i, TopK top, long scanned) -> {
      QueryRequest r = requests[i];
      out.accept(new Tuple2<>(r.queryIndex(), PartialResult.drain(r.queryId(), top, scanned, r.cellsVisited())));
    });
    for (int i = 0; i < size; i++) {
      requests[i] = null;
    }
    size = 0;
    block.clear();
    if (tablesBuilt != null) {
      long built = scanner.tablesBuilt();
      tablesBuilt.add(built - reportedTables);
      reportedTables = built;
    }
  }
}
