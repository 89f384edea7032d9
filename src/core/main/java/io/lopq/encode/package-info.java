/**
 * Encoding vectors to LOPQ codes and reconstructing them.
 *
 * <p>{@link io.lopq.encode.LopqEncoder} is the plain-loop reference, one vector at a time.
 * {@link io.lopq.encode.BatchEncoder} gives the same codes for many rows at once with matrix
 * products (one instance per thread), writing into a reusable {@link io.lopq.encode.EncodedBatch}.
 */
package io.lopq.encode;
