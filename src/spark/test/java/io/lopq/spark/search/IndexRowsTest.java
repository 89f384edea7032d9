package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lopq.spark.common.SharedSpark;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search stage's read of the index rows: from Parquet's column batches in place, or from any plan's rows. */
class IndexRowsTest {
  @TempDir File temp;

  @Test
  void parquetIsReadFromItsColumnBatchesAndEveryPlanGivesTheSameRows() {
    SparkSession spark = SharedSpark.session();
    SearchFixtures f = new SearchFixtures(4, 3000, 1, false);
    Dataset<Row> memory = f.index(spark).rows();
    String path = new File(temp, "index").getPath();
    memory.write().parquet(path);
    Dataset<Row> parquet = spark.read().parquet(path);
    Dataset<Row> selected = parquet.select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1, SearchIndex.CODES);
    assertNotNull(AdcSearch.columnarScan(selected.queryExecution().executedPlan()), "a plain Parquet scan");
    Dataset<Row> filtered = parquet.filter("coarse0 >= 0");
    assertNull(AdcSearch.columnarScan(filtered.queryExecution().executedPlan()), "a filter on top of the scan");
    Dataset<Row> reordered = parquet.select(SearchIndex.COARSE0, SearchIndex.ID, SearchIndex.COARSE1, SearchIndex.CODES);
    assertNull(AdcSearch.columnarScan(reordered.queryExecution().executedPlan()), "columns in another order");

    TreeMap<Long, String> expected = new TreeMap<>();
    for (int i = 0; i < f.n; i++) {
      byte[] fine = Arrays.copyOfRange(f.codes.fineArray(), f.codes.fineOffset(i), f.codes.fineOffset(i) + SearchFixtures.M);
      expected.put(f.ids[i], f.codes.coarse(0, i) + "/" + f.codes.coarse(1, i) + "/" + Arrays.toString(fine));
    }
    assertEquals(expected, read(parquet), "from column batches");
    assertEquals(expected, read(memory), "from rows");
    assertEquals(expected, read(filtered), "from a filtered scan's rows");
  }

  /** Rows as id -> "c0/c1/codes" (read in the task: the iterators reuse their rows). */
  private static TreeMap<Long, String> read(Dataset<Row> index) {
    List<String[]> rows = AdcSearch.internalCodeRows(index)
        .map(r -> new String[] {Long.toString(r.getLong(0)),
            r.getInt(1) + "/" + r.getInt(2) + "/" + Arrays.toString(r.getBinary(3))})
        .collect();
    TreeMap<Long, String> map = new TreeMap<>();
    for (String[] r : rows) {
      map.put(Long.parseLong(r[0]), r[1]);
    }
    assertEquals(rows.size(), map.size(), "no id twice");
    return map;
  }
}
