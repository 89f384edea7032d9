package io.lopq.eval;

/**
 * One point of a candidate sweep: the search setting and what it gave.
 *
 * @param candidates the {@code --candidates} value searched with
 * @param meanCandidatesRanked candidates actually ranked per query, on average
 * @param queriesPerSecond queries per second measured inside the job
 * @param recallAt1 Recall@1
 * @param recallAt10 Recall@10
 * @param recallAt100 Recall@100
 * @param kRecallAtK k-recall@k for the searched k
 * @param nearestAmongCandidates share of queries whose true nearest neighbour is among the
 *     candidates ranked ({@link CandidateCoverage}); NaN when the search cannot tell
 */
public record SweepPoint(
    int candidates,
    double meanCandidatesRanked,
    double queriesPerSecond,
    double recallAt1,
    double recallAt10,
    double recallAt100,
    double kRecallAtK,
    double nearestAmongCandidates) {

  /** A point without the candidates' coverage (NaN). */
  public SweepPoint(int candidates, double meanCandidatesRanked, double queriesPerSecond, double recallAt1,
      double recallAt10, double recallAt100, double kRecallAtK) {
    this(candidates, meanCandidatesRanked, queriesPerSecond, recallAt1, recallAt10, recallAt100, kRecallAtK,
        Double.NaN);
  }
}
