package io.lopq.io.vectors;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A lazy map over an iterator that drops the elements the mapping turns into null (the readers'
 * invalid rows in skip mode).
 */
final class SkippingIterator<I, O> implements Iterator<O> {
  private final Iterator<I> input;
  private final Function<? super I, ? extends O> mapping;
  private O next;

  SkippingIterator(Iterator<I> input, Function<? super I, ? extends O> mapping) {
    this.input = input;
    this.mapping = mapping;
  }

  @Override
  public boolean hasNext() {
    while (next == null && input.hasNext()) {
      next = mapping.apply(input.next());
    }
    return next != null;
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    O result = next;
    next = null;
    return result;
  }
}
