package io.lopq.format.vectors;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates rows {@code [0, rows)} chunk by chunk on several threads and hands them to one consumer
 * in row order, e.g. to write one file. At most {@code 2 x threads} chunks are in flight, so memory
 * stays flat in the number of rows.
 *
 * <pre>
 *   chunk c = rows [c * chunkRows, (c + 1) * chunkRows)      filled by any thread: fill(c, buffer)
 *   consumer.accept(buffer, rowsOfChunk) called for c = 0, 1, 2, ... on the calling thread
 * </pre>
 */
public final class ParallelChunks {
  private static final int CHUNKS_IN_FLIGHT_PER_THREAD = 2;

  /** Fills one chunk (all {@code chunkRows} rows of it) into a fresh buffer. */
  @FunctionalInterface
  public interface Filler {
    void fill(long chunk, float[] out);
  }

  /** Receives chunks in order; {@code rows} may be less than a chunk for the last one. */
  @FunctionalInterface
  public interface Consumer {
    void accept(float[] chunk, int rows) throws Exception;
  }

  private ParallelChunks() {}

  /**
   * Runs the generation.
   *
   * @param rows total rows
   * @param chunkRows rows per chunk
   * @param dimension values per row
   * @param threads worker threads (at least 1)
   * @throws IllegalStateException wrapping a failure of the filler or the consumer
   */
  public static void run(long rows, int chunkRows, int dimension, int threads, Filler filler, Consumer consumer) {
    Objects.requireNonNull(filler, "filler");
    Objects.requireNonNull(consumer, "consumer");
    if (rows < 0 || chunkRows < 1 || dimension < 1 || threads < 1) {
      throw new IllegalArgumentException("bad sizes: rows " + rows + ", chunk rows " + chunkRows + ", dimension "
          + dimension + ", threads " + threads);
    }
    long chunks = (rows + chunkRows - 1) / chunkRows;
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread t = new Thread(runnable, "lopq-generate");
      t.setDaemon(true);
      return t;
    });
    try {
      ArrayDeque<Future<float[]>> inFlight = new ArrayDeque<>();
      long next = 0;
      for (long c = 0; c < chunks; c++) {
        while (next < chunks && inFlight.size() < CHUNKS_IN_FLIGHT_PER_THREAD * threads) {
          long chunk = next++;
          inFlight.add(pool.submit(() -> {
            float[] out = new float[chunkRows * dimension];
            filler.fill(chunk, out);
            return out;
          }));
        }
        float[] done = inFlight.poll().get();
        consumer.accept(done, (int) Math.min(chunkRows, rows - c * chunkRows));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("generation interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("generating rows failed: " + cause, cause);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("consuming rows failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }
}
