package io.lopq.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.search.SearchResult;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** Each benchmark method, run once outside JMH on small data: it works and counts what it did. */
class ThroughputBenchmarksTest {
  /** A small model: the reference shape would take minutes to set up here. */
  private static final ModelShape SMALL = new ModelShape(32, 8, 4, 16);
  private static final String BLACKHOLE_CHALLENGE =
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

  @Test
  void encodeBenchmarksCountTheirVectors() {
    EncodeThroughput benchmark = new EncodeThroughput();
    benchmark.vectors = 300;
    benchmark.block = 128;
    benchmark.seed = 1;
    benchmark.shape = SMALL;
    benchmark.setUp();
    Blackhole sink = new Blackhole(BLACKHOLE_CHALLENGE);

    Counted.Vectors count = new Counted.Vectors();
    assertEquals(128, benchmark.batchClustered(count).size());
    benchmark.batchGaussian(count);
    assertEquals(2 * 128, count.vectors);
    benchmark.singleLopqEncoder(count, sink);
    benchmark.singleBatchEncoder(count, sink);
    assertEquals(2 * 128 + 2 * EncodeThroughput.SINGLE_RUN, count.vectors);
    assertTrue(count.cpuSeconds > 0, "CPU time counted");
    count.reset();
    assertEquals(0, count.vectors);
    assertEquals(0.0, count.cpuSeconds);
  }

  @Test
  void searchBenchmarksCountTheirQueriesAndReturnKNeighbours() {
    SearchThroughput benchmark = new SearchThroughput();
    benchmark.items = 2_000;
    benchmark.queries = 50;
    benchmark.seed = 1;
    benchmark.shape = SMALL;
    benchmark.setUp();
    SearchThroughput.Candidates setting = new SearchThroughput.Candidates();
    setting.candidates = 60_000;

    Counted.Queries count = new Counted.Queries();
    SearchResult[] adc = benchmark.adc(setting, count);
    assertEquals(SearchThroughput.QUERY_RUN, adc.length);
    assertEquals(SearchThroughput.NEIGHBOURS, adc[0].size());
    assertEquals(SearchThroughput.QUERY_RUN, benchmark.adcRerank(count).length);
    assertEquals(50, benchmark.exact(count).length);
    assertEquals(2 * SearchThroughput.QUERY_RUN + 50, count.queries);
    assertTrue(count.cpuSeconds > 0, "CPU time counted");
  }
}
