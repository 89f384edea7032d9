package io.lopq.spark.sql;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.model.LopqModel;
import io.lopq.spark.search.SearchIndex;
import io.lopq.spark.search.SearchJob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.catalyst.plans.JoinType;
import org.apache.spark.sql.catalyst.plans.LeftOuter$;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * The physical {@link IndexedNearestBy}: LOPQ proposes candidates, the user's expression ranks them.
 *
 * <pre>
 *   table   right side's rows by id (collected once, broadcast); checked against the index:
 *           same row count and ids (order-free checksum), unless allowStaleIndex
 *   queries left rows numbered 0..n-1; their query vectors (the ranking's vector_l2_distance
 *           argument) -&gt; SearchJob.search: the best rerankDepth rows by ADC among the candidates
 *   rank    per left row: the ranking expression evaluated exactly on each candidate row;
 *           the k smallest (nulls skipped, ties in ADC order), best first
 *   join    INNER drops a left row without candidates; LEFT OUTER keeps it with nulls
 * </pre>
 */
public final class IndexedNearestByExec extends SparkPlan {
  /** The seed of Spark's {@code xxhash64}. */
  static final long HASH_SEED = 42L;

  private final SparkPlan left;
  private final SparkPlan right;
  /** Driver-side only, as its index binding. */
  private final transient JoinSpec spec;

  /** The join; the arguments after the children are {@link JoinSpec}'s (Spark copies nodes through this). */
  public IndexedNearestByExec(SparkPlan left, SparkPlan right, JoinType joinType, int k, Expression ranking,
      Expression query, Expression rightId, IndexBinding binding, JoinSettings.Resolved settings) {
    this(left, right, new JoinSpec(joinType, k, ranking, query, rightId, binding, settings));
  }

  IndexedNearestByExec(SparkPlan left, SparkPlan right, JoinSpec spec) {
    this.left = Objects.requireNonNull(left, "left");
    this.right = Objects.requireNonNull(right, "right");
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  @Override
  public RDD<InternalRow> doExecute() {
    SparkSession spark = session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    IndexBinding binding = spec.binding();
    String table = binding.table();
    List<Attribute> leftOut = Scala.list(left.output());
    List<Attribute> rightOut = Scala.list(right.output());

    RowTable rows = collectById(right, spec.rightId(), table);
    checkFresh(rows, binding, table);
    Broadcast<RowTable> sharedRows = jsc.broadcast(rows);

    Seq<Attribute> leftSchema = Scala.seq(leftOut);
    Seq<Expression> leftExprs = Scala.expressions(leftOut);
    JavaPairRDD<Long, InternalRow> numbered = left.execute().toJavaRDD()
        .mapPartitions(it -> {
          UnsafeProjection copy = UnsafeProjection.create(leftExprs, leftSchema);
          return new MappedIterator<>(it, r -> (InternalRow) copy.apply(r).copy());
        })
        .zipWithIndex()
        .mapToPair(Tuple2::swap)
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<Long, Object[]> candidates = candidates(spark, numbered, leftSchema, binding, table);

    boolean outer = spec.joinType() == LeftOuter$.MODULE$;
    int rightWidth = rightOut.size();
    // Nullable as the join's output: LEFT OUTER writes nulls into the right side's columns.
    List<Attribute> joined = Scala.nullable(Scala.concat(left.output(), right.output()));
    Seq<Attribute> joinedSchema = Scala.seq(joined);
    Seq<Expression> rankExprs = Scala.seq(spec.ranking());
    Seq<Expression> outExprs = Scala.expressions(joined);
    int topK = spec.k();
    return numbered.leftOuterJoin(candidates)
        .mapPartitions(it -> new Ranker(it, sharedRows.value(), rankExprs, outExprs, joinedSchema, rightWidth, topK,
            outer))
        .rdd();
  }

  /** The right side's rows (as unsafe-row bytes) by id; duplicate ids are refused. */
  private static RowTable collectById(SparkPlan right, Expression rightId, String table) {
    Seq<Attribute> schema = right.output();
    Seq<Expression> all = Scala.expressions(Scala.list(schema));
    Seq<Expression> idExpr = Scala.seq(rightId);
    boolean stringIds = rightId.dataType().equals(DataTypes.StringType);
    List<Tuple2<Object, byte[]>> pairs = right.execute().toJavaRDD()
        .mapPartitions(it -> {
          UnsafeProjection whole = UnsafeProjection.create(all, schema);
          UnsafeProjection id = UnsafeProjection.create(idExpr, schema);
          return new MappedIterator<>(it, r -> {
            UnsafeRow key = id.apply(r);
            Object k = key.isNullAt(0) ? null : stringIds ? key.getUTF8String(0).toString() : (Object) key.getLong(0);
            return new Tuple2<>(k, whole.apply(r).getBytes());
          });
        }).collect();
    for (Tuple2<Object, byte[]> p : pairs) {
      if (p._1() == null) {
        throw new InvalidInputException(table + ": column id is null in a row");
      }
    }
    try {
      return RowTable.of(pairs, stringIds, schema.size(), table);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** Refuses an index encoded from other rows than the table's (row count, ids), unless allowed. */
  private void checkFresh(RowTable rows, IndexBinding binding, String table) {
    if (spec.settings().allowStale()) {
      return;
    }
    EncodedDataset encoded = binding.encoded();
    long indexRows = encoded.rowCount();
    String index = "the index " + encoded.path() + " (revision " + encoded.manifest().revision() + ")";
    String remedy = "; encode the table again (lopq encode), or set the option allowStaleIndex 'true' (or "
        + JoinSettings.CONF_PREFIX + JoinSettings.ALLOW_STALE.name() + "=true) to serve it anyway";
    if (indexRows != rows.size()) {
      throw new InvalidInputException(table + " has " + rows.size() + " rows, but " + index + " was encoded from "
          + indexRows + ": the index is stale" + remedy);
    }
    long tableHash = 0;
    for (int i = 0; i < rows.size(); i++) {
      Object id = rows.id(i);
      tableHash ^= id instanceof String s ? XXH64.hashUTF8String(UTF8String.fromString(s), HASH_SEED)
          : XXH64.hashLong((Long) id, HASH_SEED);
    }
    Row indexHash = encoded.rows().selectExpr("bit_xor(xxhash64(" + SearchIndex.ID + "))").first();
    long expected = indexHash.isNullAt(0) ? 0 : indexHash.getLong(0);
    if (expected != tableHash) {
      throw new InvalidInputException(table + " has the " + indexRows + " rows of " + index
          + ", but other ids: the index is stale" + remedy);
    }
  }

  /** Each left row's candidate ids (best by ADC first), from the search stage. */
  private JavaPairRDD<Long, Object[]> candidates(SparkSession spark, JavaPairRDD<Long, InternalRow> numbered,
      Seq<Attribute> leftSchema, IndexBinding binding, String table) {
    LopqModel model = binding.model();
    int dimension = model.dimension();
    Seq<Expression> queryExpr = Scala.seq(spec.query());
    String querySql = spec.query().sql();
    JavaRDD<Row> vectors = numbered.mapPartitions(it -> {
      UnsafeProjection project = UnsafeProjection.create(queryExpr, leftSchema);
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        Tuple2<Long, InternalRow> t = it.next();
        UnsafeRow v = project.apply(t._2());
        if (v.isNullAt(0)) {
          continue;
        }
        ArrayData array = v.getArray(0);
        if (array.numElements() != dimension) {
          throw new InvalidInputException("query row " + t._1() + ": " + querySql + " has dimension "
              + array.numElements() + ", the index of " + table + " expects D=" + dimension);
        }
        for (int i = 0; i < dimension; i++) {
          if (array.isNullAt(i)) {
            throw new InvalidInputException("query row " + t._1() + ": " + querySql + " has a null at position " + i);
          }
        }
        out.add(RowFactory.create(t._1(), array.toFloatArray()));
      }
      return out.iterator();
    });
    EncodedDataset encoded = binding.encoded();
    if (encoded.rowCount() == 0) {
      return numbered.mapToPair(t -> new Tuple2<>(t._1(), new Object[0])).filter(t -> false);
    }
    VectorDataset queries = new VectorDataset(spark.createDataFrame(vectors, VectorSchema.withLongIds()), dimension,
        null);
    int depth = spec.settings().depth(spec.k());
    SearchJob.Params params = SearchJob.Params.builder().k(depth).candidates(spec.settings().candidates(spec.k()))
        .rerankDepth(0)
        .build();
    SearchIndex index = new SearchIndex(encoded.rows(), encoded.modelFingerprint(), encoded.path());
    SearchJob.Outcome outcome = SearchJob.search(spark, model, index, queries, null, params);
    try {
      JavaPairRDD<Long, Object[]> found;
      if (encoded.idType().equals(DataTypes.StringType)) {
        // String ids: the search keys them by a dictionary; its rows carry the ids again.
        // Outcome.rows: (query_id, rank, neighbor_id, distance).
        found = outcome.rows(spark).select("query_id", "rank", "neighbor_id")
            .javaRDD()
            .mapToPair(r -> new Tuple2<>(r.getLong(0), new Object[] {r.getInt(1), r.get(2)}))
            .groupByKey()
            .mapValues(IndexedNearestByExec::inRankOrder);
      } else {
        // Long ids: each query's result is already in rank order, keyed by the query's number.
        found = outcome.results().mapToPair(t -> new Tuple2<>((Long) t._2().queryId(), boxed(t._2().ids())));
      }
      found = found.persist(StorageLevel.MEMORY_AND_DISK());
      found.count();
      return found;
    } finally {
      outcome.release();
    }
  }

  private static Object[] boxed(long[] ids) {
    Object[] boxed = new Object[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boxed[i] = ids[i];
    }
    return boxed;
  }

  private static Object[] inRankOrder(Iterable<Object[]> ranked) {
    List<Object[]> list = new ArrayList<>();
    ranked.forEach(list::add);
    list.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
    Object[] ids = new Object[list.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = list.get(i)[1];
    }
    return ids;
  }

  @Override
  public Seq<Attribute> output() {
    return JoinSpec.output(left, right);
  }

  @Override
  public Seq<SparkPlan> children() {
    return Scala.seq(left, right);
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return new IndexedNearestByExec(newChildren.apply(0), newChildren.apply(1), spec);
  }

  @Override
  public String simpleString(int maxFields) {
    return spec.describe(nodeName(), right);
  }

  @Override
  public int productArity() {
    return JoinSpec.ARITY;
  }

  @Override
  public Object productElement(int n) {
    return spec.productElement(left, right, n);
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof IndexedNearestByExec;
  }

  /** Maps an iterator lazily. */
  static final class MappedIterator<A, B> implements Iterator<B> {
    private final Iterator<A> in;
    private final java.util.function.Function<A, B> f;

    MappedIterator(Iterator<A> in, java.util.function.Function<A, B> f) {
      this.in = in;
      this.f = f;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public B next() {
      return f.apply(in.next());
    }
  }
}
