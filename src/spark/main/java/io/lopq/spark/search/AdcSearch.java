package io.lopq.spark.search;

import io.lopq.model.LopqModel;
import io.lopq.search.SearchOptions;
import io.lopq.search.batch.CellBlock;
import io.lopq.search.batch.CellCounts;
import io.lopq.search.batch.PartialResult;
import io.lopq.search.batch.QueryRouter;
import io.lopq.spark.common.SerializableModel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.immutable.Seq;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The approximate (ADC) part of the distributed search, in two plans that give the same results.
 *
 * <p><b>Broadcast plan</b> (small index, like a broadcast hash join): the whole index is collected
 * into one {@link CellBlock} and broadcast; each task routes its queries and scans their cells
 * locally. No shuffle, and every table is built exactly once per (query, half, coarse index).
 *
 * <p><b>Shuffle plan</b> (any size): the index is split by cell into P buckets and the queries
 * go to the buckets that hold their cells:
 * <pre>
 *   1. route every query once (RoutedQuery, cached), count queries per cell   (small: one long per cell)
 *   2. BucketPlan: split costly cells into units, units into P buckets balanced by rows x queries
 *   3. index rows of visited cells   -&gt; (bucket, CodeRows)      in chunks of columns, partitionBy(KeyPartitioner)
 *      queries                       -&gt; (bucket, QueryRequest)  one per (query, bucket)
 *   4. zipPartitions: per bucket, a CellBlock of its rows (presized: BucketPlan#expectedRows); requests
 *      answered a block at a time
 *   5. reduceByKey(query): merge the per-bucket best rows (exact: PartialResult#merge)
 * </pre>
 */
public final class AdcSearch {
  private AdcSearch() {}

  /**
   * The index rows as a {@link CellBlock} whose units are the cells, keyed by position in {@code counts}.
   *
   * @param description the index's description, for the message about a row with bad codes
   */
  public static CellBlock collectIndex(Dataset<Row> index, CellCounts counts, int subquantizers, String description) {
    CodeCheck check = new CodeCheck(subquantizers, description);
    List<CodeChunk> chunks = codeRows(index).mapPartitions(rows -> List.of(CodeChunk.of(rows, check))
        .iterator()).collect();
    CellBlock.Builder builder = new CellBlock.Builder(subquantizers, Math.toIntExact(counts.totalRows()));
    int v = counts.coarseClusters();
    for (CodeChunk chunk : chunks) {
      for (int i = 0; i < chunk.size; i++) {
        long cell = counts.indexOf(CellCounts.key(v, chunk.c0[i], chunk.c1[i]));
        builder.add(cell, chunk.c0[i], chunk.c1[i], chunk.ids[i], chunk.codes, i * subquantizers);
      }
    }
    return builder.build();
  }

  /** The broadcast plan over a {@link #collectIndex collected} index. */
  public static JavaPairRDD<Long, PartialResult> broadcast(JavaPairRDD<Long, QueryRow> queries,
      Broadcast<SerializableModel> model, Broadcast<CellCounts> counts, Broadcast<CellBlock> index,
      SearchOptions settings, LongAccumulator tablesBuilt) {
    return queries.mapPartitionsToPair(it -> {
      LopqModel m = model.value().model();
      QueryRouter router = new QueryRouter(m, counts.value(), settings.candidates(), settings.maxCells());
      return new BlockSearch(new RoutedQueries(it, router), m, index.value(), settings, tablesBuilt);
    });
  }

  /**
   * Routes every query once (the shuffle plan's planning pass): its visited cells, kept with it
   * ({@link RoutedQuery}) for {@link #requestCounts} and {@link #shuffle}. Lazy; the caller
   * persists it, since both passes read it.
   */
  public static JavaPairRDD<Long, RoutedQuery> route(JavaPairRDD<Long, QueryRow> queries,
      Broadcast<SerializableModel> model, Broadcast<CellCounts> counts, SearchOptions settings) {
    return queries.mapPartitionsToPair(it -> {
      QueryRouter router = new QueryRouter(model.value().model(), counts.value(), settings.candidates(),
          settings.maxCells());
      return new Iterator<Tuple2<Long, RoutedQuery>>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Tuple2<Long, RoutedQuery> next() {
          Tuple2<Long, QueryRow> q = it.next();
          int n = router.route(q._2().vector(), 0);
          return new Tuple2<>(q._1(), new RoutedQuery(q._2(), router.cells(), n, router.visitedCells()));
        }
      };
    });
  }

  /** Queries per cell (by position among {@code cells} non-empty cells): the input of {@link BucketPlan}. */
  public static long[] requestCounts(JavaPairRDD<Long, RoutedQuery> routed, int cells) {
    return routed.mapPartitions(it -> {
      long[] requests = new long[cells];
      int[] visited = new int[64];
      while (it.hasNext()) {
        RoutedQuery q = it.next()._2();
        visited = q.cells(visited);
        for (int i = 0, n = q.cellCount(); i < n; i++) {
          requests[visited[i]]++;
        }
      }
      return List.of(requests).iterator();
    }).reduce((a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    });
  }

  /**
   * The shuffle plan along {@code plan} (made from {@link #requestCounts} of the same routed
   * queries). The plan is broadcast; the caller may unpersist {@code planBroadcast} once the
   * results are computed.
   */
  public static JavaPairRDD<Long, PartialResult> shuffle(JavaPairRDD<Long, RoutedQuery> queries, Dataset<Row> index,
      String description, Broadcast<SerializableModel> model, Broadcast<CellCounts> counts,
      Broadcast<BucketPlan> planned, SearchOptions settings, LongAccumulator tablesBuilt) {
    int buckets = planned.value().buckets();
    KeyPartitioner partitioner = new KeyPartitioner(buckets);
    int subquantizers = model.value().model().subquantizers();
    CodeCheck check = new CodeCheck(subquantizers, description);

    JavaPairRDD<Integer, CodeRows> rows = internalCodeRows(index).mapPartitionsToPair(it -> {
      CellCounts c = counts.value();
      BucketPlan p = planned.value();
      return new ShippedRows(it, c, p, check);
    }).partitionBy(partitioner);

    JavaPairRDD<Integer, QueryRequest> routed = queries.mapPartitionsToPair(it ->
        new BucketRequests(it, planned.value())).partitionBy(partitioner);

    JavaRDD<Tuple2<Long, PartialResult>> partial = rows.zipPartitions(routed, (rowIt, requestIt) -> {
      LopqModel m = model.value().model();
      // Partition b holds bucket b (KeyPartitioner): its rows are known, so its arrays are allocated once.
      long expected = planned.value().expectedRows(TaskContext.getPartitionId());
      CellBlock.Builder builder = new CellBlock.Builder(subquantizers, (int) Math.min(Integer.MAX_VALUE - 8, expected));
      while (rowIt.hasNext()) {
        rowIt.next()._2().addTo(builder);
      }
      CellBlock block = builder.build();
      Iterator<QueryRequest> requestsOfBucket = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return requestIt.hasNext();
        }

        @Override
        public QueryRequest next() {
          return requestIt.next()._2();
        }
      };
      return new BlockSearch(requestsOfBucket, m, block, settings, tablesBuilt);
    });
    int kept = settings.kept();
    return JavaPairRDD.fromJavaRDD(partial).reduceByKey((a, b) -> PartialResult.merge(a, b, kept), buckets);
  }

  /**
   * The index's (id, coarse0, coarse1, codes) rows as Spark's internal rows, without converting each
   * to an external {@link Row} (a generic row, a boxed id): at 10M rows that conversion was a
   * sizable part of the shuffle plan's search stage. When the rows come straight from a columnar
   * scan (Parquet, as {@code lopq encode} writes them), they are read in place from its column
   * batches ({@link ColumnarBatch#rowIterator()}), skipping also the copy of every row into an
   * {@code UnsafeRow}; otherwise (e.g. string ids mapped to keys by a join) from the executed plan's
   * rows. Rows may be reused by the iterator: read each before the next.
   */
  static JavaRDD<InternalRow> internalCodeRows(Dataset<Row> index) {
    Dataset<Row> selected = index.select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1,
        SearchIndex.CODES);
    SparkPlan scan = columnarScan(selected.queryExecution().executedPlan());
    if (scan == null) {
      return selected.queryExecution().toRdd().toJavaRDD();
    }
    return scan.executeColumnar().toJavaRDD().mapPartitions(BatchRows::new);
  }

  /**
   * The columnar scan under {@code plan} if the plan only turns its batches into rows and the scan's
   * output is exactly (id long, coarse0 int, coarse1 int, codes binary); else null.
   */
  static SparkPlan columnarScan(SparkPlan plan) {
    SparkPlan node = belowRowConversion(plan);
    if (!node.supportsColumnar()) {
      return null;
    }
    Seq<Attribute> output = node.output();
    String[] names = {SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1, SearchIndex.CODES};
    DataType[] types = {DataTypes.LongType, DataTypes.IntegerType, DataTypes.IntegerType, DataTypes.BinaryType};
    if (output.size() != names.length) {
      return null;
    }
    for (int i = 0; i < names.length; i++) {
      Attribute a = output.apply(i);
      if (!a.name().equals(names[i]) || !a.dataType().equals(types[i])) {
        return null;
      }
    }
    return node;
  }

  /** The node under {@code plan}'s conversion of column batches to rows (whole-stage code, adapters), if any. */
  static SparkPlan belowRowConversion(SparkPlan plan) {
    SparkPlan node = plan;
    while ((node instanceof WholeStageCodegenExec || node instanceof ColumnarToRowExec
        || node instanceof InputAdapter) && node.children().size() == 1) {
      node = node.children().head();
    }
    return node;
  }

  /** The rows of a partition's column batches, each batch's rows read in place. */
  static final class BatchRows implements Iterator<InternalRow> {
    private final Iterator<ColumnarBatch> batches;
    private Iterator<InternalRow> rows = java.util.Collections.emptyIterator();

    BatchRows(Iterator<ColumnarBatch> batches) {
      this.batches = batches;
    }

    @Override
    public boolean hasNext() {
      while (!rows.hasNext()) {
        if (!batches.hasNext()) {
          return false;
        }
        rows = batches.next().rowIterator();
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return rows.next();
    }
  }

  /** The index's (id, coarse0, coarse1, codes) rows. */
  private static JavaRDD<Row> codeRows(Dataset<Row> index) {
    return index.select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1, SearchIndex.CODES).javaRDD();
  }

  /**
   * A task's index rows as {@code (bucket, CodeRows)} chunks: each row of a visited cell goes to
   * its units' buckets ({@link BucketPlan#rowUnits}); a chunk is handed out when full, the rest at
   * the end (one open chunk per bucket at most).
   */
  static final class ShippedRows implements Iterator<Tuple2<Integer, CodeRows>> {
    private final Iterator<InternalRow> rows;
    private final CellCounts counts;
    private final BucketPlan plan;
    private final CodeRows.Shipper shipper;
    private final CodeCheck check;
    private final int[] units;
    private final int[] drained = new int[1];
    private final ArrayDeque<Tuple2<Integer, CodeRows>> ready = new ArrayDeque<>();
    private boolean finished;
    private int lastC0 = -1;
    private int lastC1 = -1;
    private int lastCell = -1;

    ShippedRows(Iterator<InternalRow> rows, CellCounts counts, BucketPlan plan, CodeCheck check) {
      this.rows = rows;
      this.counts = counts;
      this.plan = plan;
      this.check = check;
      this.shipper = new CodeRows.Shipper(plan.buckets(), check.subquantizers());
      this.units = new int[plan.maxUnitsPerCell()];
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !finished) {
        if (rows.hasNext()) {
          ship(rows.next());
        } else {
          CodeRows last = shipper.drain(drained);
          if (last == null) {
            finished = true;
          } else {
            ready.add(new Tuple2<>(drained[0], last));
          }
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public Tuple2<Integer, CodeRows> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void ship(InternalRow r) {
      long id = r.getLong(0);
      int c0 = r.getInt(1);
      int c1 = r.getInt(2);
      if (c0 != lastC0 || c1 != lastC1) {
        // The encoded files are sorted by cell: consecutive rows mostly share theirs.
        lastC0 = c0;
        lastC1 = c1;
        lastCell = counts.indexOf(c0, c1);
      }
      int n = plan.rowUnits(lastCell, id, units);
      if (n == 0) {
        return;
      }
      byte[] codes = check.require(r.isNullAt(3) ? null : r.getBinary(3), id);
      for (int i = 0; i < n; i++) {
        int bucket = plan.bucketOf(units[i]);
        CodeRows full = shipper.add(bucket, units[i], c0, c1, id, codes);
        if (full != null) {
          ready.add(new Tuple2<>(bucket, full));
        }
      }
    }
  }

  /** One partition's index rows in columns, for collecting the broadcast index compactly. */
  static final class CodeChunk implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    long[] ids;
    int[] c0;
    int[] c1;
    byte[] codes;
    int size;

    static CodeChunk of(Iterator<Row> rows, CodeCheck check) {
      int subquantizers = check.subquantizers();
      CodeChunk chunk = new CodeChunk();
      int capacity = 1024;
      chunk.ids = new long[capacity];
      chunk.c0 = new int[capacity];
      chunk.c1 = new int[capacity];
      chunk.codes = new byte[capacity * subquantizers];
      while (rows.hasNext()) {
        Row r = rows.next();
        if (chunk.size == capacity) {
          capacity = Math.multiplyExact(capacity, 2);
          chunk.ids = Arrays.copyOf(chunk.ids, capacity);
          chunk.c0 = Arrays.copyOf(chunk.c0, capacity);
          chunk.c1 = Arrays.copyOf(chunk.c1, capacity);
          chunk.codes = Arrays.copyOf(chunk.codes, Math.multiplyExact(capacity, subquantizers));
        }
        int i = chunk.size++;
        chunk.ids[i] = r.getLong(0);
        chunk.c0[i] = r.getInt(1);
        chunk.c1[i] = r.getInt(2);
        System.arraycopy(check.require((byte[]) r.get(3), chunk.ids[i]), 0, chunk.codes, i * subquantizers,
            subquantizers);
      }
      return chunk;
    }
  }
}
