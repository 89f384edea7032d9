package io.lopq.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs independent, indexed tasks (one per cluster or per subquantizer) on a few threads and
 * returns their results in index order, so that the outcome never depends on the thread count.
 */
final class Parallel {
  private Parallel() {}

  /** {@code [task(0), ..., task(count - 1)]}, computed on up to {@code threads} threads. */
  static <T> List<T> map(int count, int threads, IntFunction<T> task) {
    List<T> results = new ArrayList<>(count);
    if (threads <= 1 || count <= 1) {
      for (int i = 0; i < count; i++) {
        results.add(task.apply(i));
      }
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, count), runnable -> {
      Thread thread = new Thread(runnable, "lopq-train");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.apply(index)));
      }
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
