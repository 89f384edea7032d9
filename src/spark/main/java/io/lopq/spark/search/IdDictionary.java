package io.lopq.spark.search;

import static org.apache.spark.sql.functions.col;

import io.lopq.spark.common.Storage;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Long keys for string ids, so the search works on longs throughout: key = the id's rank among
 * the index's distinct ids in sorted order. Because keys follow the ids' order, "ties by id" in
 * the search is "ties by string id" in the output.
 *
 * <pre>
 *   key(id) = #{ distinct index ids &lt; id }          (Spark's string order: UTF-8 bytes)
 *   index, raw vectors:  id -&gt; key  (join)          results: key -&gt; id  (join)
 * </pre>
 */
public final class IdDictionary {
  /** Column of the ids. */
  public static final String ID = "id";
  /** Column of the keys. */
  public static final String KEY = "key";
  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(ID, DataTypes.StringType, false),
      DataTypes.createStructField(KEY, DataTypes.LongType, false)));

  private final Dataset<Row> table;
  private final JavaPairRDD<String, Long> pairs;

  private IdDictionary(Dataset<Row> table, JavaPairRDD<String, Long> pairs) {
    this.table = table;
    this.pairs = pairs;
  }

  /** The dictionary of the string {@code id} column of {@code index} (cached until {@link #release()}). */
  public static IdDictionary of(SparkSession spark, Dataset<Row> index) {
    JavaRDD<String> sorted = index.select(ID).distinct().orderBy(ID).javaRDD().map(r -> r.getString(0));
    JavaPairRDD<String, Long> pairs = sorted.zipWithIndex().persist(Storage.SPILLABLE);
    Dataset<Row> table = spark.createDataFrame(pairs.map(p -> RowFactory.create(p._1(), p._2())), SCHEMA)
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new IdDictionary(table, pairs);
  }

  /** The (id, key) table. */
  public Dataset<Row> table() {
    return table;
  }

  /** (id, key) pairs. */
  public JavaPairRDD<String, Long> pairs() {
    return pairs;
  }

  /**
   * {@code rows} with the string {@code id} column replaced by its long key, same column order;
   * rows whose id is not in the dictionary are dropped.
   */
  public Dataset<Row> toKeys(Dataset<Row> rows) {
    String[] names = rows.columns();
    org.apache.spark.sql.Column[] columns = new org.apache.spark.sql.Column[names.length];
    for (int i = 0; i < names.length; i++) {
      columns[i] = names[i].equals(ID) ? col("d." + KEY).as(ID) : col("r." + names[i]);
    }
    return rows.as("r").join(table.as("d"), col("r." + ID).equalTo(col("d." + ID))).select(columns);
  }

  /** Drops the cached data. */
  public void release() {
    table.unpersist(false);
    pairs.unpersist(false);
  }
}
