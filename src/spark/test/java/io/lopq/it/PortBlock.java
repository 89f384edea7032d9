package io.lopq.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A block of consecutive free TCP ports on 127.0.0.1 for the test cluster: the first base (from
 * {@code start}, then in steps of {@value #STEP}) whose ports are all free right now. Away from
 * Spark's defaults (7077, 8080, 4040) and the project's (7177, 8177) so that a cluster someone runs
 * by hand is never disturbed.
 */
record PortBlock(int base, int size) {
  private static final int STEP = 50;
  private static final int ATTEMPTS = 40;

  /** The ports {@code base .. base + size - 1}. */
  int port(int offset) {
    if (offset < 0 || offset >= size) {
      throw new IllegalArgumentException("port offset " + offset + " outside the block of " + size);
    }
    return base + offset;
  }

  /** The first free block of {@code size} ports at {@code start}, {@code start + 50}, ... */
  static PortBlock findFree(int start, int size) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int base = start + attempt * STEP;
      if (allFree(base, size)) {
        return new PortBlock(base, size);
      }
    }
    throw new IllegalStateException("no " + size + " free consecutive ports found from " + start);
  }

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean allFree(int base, int size) {
    for (int p = base; p < base + size; p++) {
      if (!isFree(p)) {
        return false;
      }
    }
    return true;
  }
}
