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
 */
public record SweepPoint(
    int candidates,
    double meanCandidatesRanked,
    double queriesPerSecond,
    double recallAt1,
    double recallAt10,
    double recallAt100,
    double kRecallAtK) {}
