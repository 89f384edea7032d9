package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SearchOptionsTest {
  @Test
  void defaultsAreTheDeclaredOnes() {
    SearchOptions options = SearchOptions.builder().build();
    assertEquals(SearchOptions.K.defaultValue(), options.k());
    assertEquals(SearchOptions.CANDIDATES.defaultValue(), options.candidates());
    assertEquals(SearchOptions.QUERY_BLOCK.defaultValue(), options.queryBlock());
    assertEquals(SearchOptions.UNLIMITED_CELLS, options.maxCells());
    assertFalse(options.reranks() || options.excludeSelf() || options.exactTables());
    assertEquals(options, options.toBuilder().build());
  }

  @Test
  void keepsTheRerankDepthWhenReRankingElseK() {
    assertEquals(5, SearchOptions.of(5, 100).kept());
    assertEquals(40, SearchOptions.of(5, 100).withRerank(40).kept());
    assertEquals(100, SearchOptions.defaultRerankDepth(5));
    assertEquals(300, SearchOptions.defaultRerankDepth(300));
  }

  @Test
  void badValuesAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchOptions.of(0, 10)).getMessage()
        .contains("k must be >= 1, got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchOptions.of(5, 10).withCellBudget(0))
        .getMessage().contains("cells must be >= 1, got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SearchOptions.builder().queryBlock(0).build()).getMessage().contains("query block must be >= 1"));
  }
}
