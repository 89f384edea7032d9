package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StageProgressTest {
  @Test
  void aKnownTotalGivesTheShareAndTheTimeLeftFromTheRate() {
    // 2.5 M of 10 M rows in 50 s: 50,000 rows/s, 7.5 M rows left = 150 s.
    assertEquals("rotations: 2,500,000 of 10,000,000 records (25%), 50,000/s, 2m30s left; 0/2 tasks",
        StageProgress.line("rotations", 2_500_000, 10_000_000, 0, 2, 50));
  }

  @Test
  void anUnknownTotalIsEstimatedFromTheFinishedTasks() {
    // 40 of 160 tasks read 1 M records: ~4 M in all, at 10,000/s 300 s left.
    assertEquals("encode: 1,000,000 of ~4,000,000 records (25%), 10,000/s, 5m00s left; 40/160 tasks",
        StageProgress.line("encode", 1_000_000, 0, 40, 160, 100));
  }

  @Test
  void withoutRecordsTheTimeLeftFollowsTheTasks() {
    assertEquals("x: 0 records, 0/s, 30s left; 1/4 tasks", StageProgress.line("x", 0, 0, 1, 4, 10));
    assertEquals("x: 0 records, 0/s; 0/4 tasks", StageProgress.line("x", 0, 0, 0, 4, 10));
  }

  @Test
  void durationsReadLikeAClock() {
    assertEquals("8s", StageProgress.duration(8.2));
    assertEquals("1m15s", StageProgress.duration(75));
    assertEquals("1h02m", StageProgress.duration(3725));
  }
}
