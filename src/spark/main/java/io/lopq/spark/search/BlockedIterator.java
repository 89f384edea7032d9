package io.lopq.spark.search;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Turns a stream of inputs into a stream of outputs computed block by block: inputs are added to
 * a block until it is full (or the input ends), then the block is processed and its outputs are
 * handed out. Lets a Spark task process its partition in cache-friendly blocks without holding
 * the whole partition's output.
 *
 * @param <I> input element
 * @param <O> output element
 */
public abstract class BlockedIterator<I, O> implements Iterator<O> {
  private final Iterator<I> input;
  private final ArrayDeque<O> ready = new ArrayDeque<>();
  private final Consumer<O> sink = ready::add;
  private boolean pending;

  /** Outputs for {@code input}. */
  protected BlockedIterator(Iterator<I> input) {
    this.input = input;
  }

  /** Adds one input to the current block. */
  protected abstract void add(I item);

  /** True when the current block must be processed before more inputs are added. */
  protected abstract boolean blockFull();

  /** Processes the current block, hands its outputs to {@code out}, and starts an empty block. */
  protected abstract void flush(Consumer<O> out);

  @Override
  public final boolean hasNext() {
    while (ready.isEmpty()) {
      if (input.hasNext()) {
        add(input.next());
        pending = true;
        if (blockFull()) {
          flushPending();
        }
      } else if (pending) {
        flushPending();
      } else {
        return false;
      }
    }
    return true;
  }

  private void flushPending() {
    pending = false;
    flush(sink);
  }

  @Override
  public final O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }
}
