package io.lopq.format.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Yahoo LOPQ protobuf codec: exact round trips, Yahoo's wire layout, and messages that name what is wrong. */
class YahooLopqProtobufTest {
  private static final int D = 8;
  private static final int V = 3;
  private static final int M = 4;
  private static final int K = 5;

  private final LopqModel model = TestModels.random(3, D, V, M, K, new ModelMetadata(9L, Map.of("a", 1), Map.of()));

  @Test
  void modelToBytesToModelIsExact() throws IOException {
    LopqModel back = YahooLopqProtobuf.fromBytes(YahooLopqProtobuf.toBytes(model));
    assertTrue(TestModels.sameArraysBitwise(model, back));
    assertEquals(model.fingerprint(), back.fingerprint());
    assertEquals(YahooLopqProtobuf.SOURCE_FORMAT, back.metadata().parameters().get(YahooLopqProtobuf.IMPORTED_FROM));
    assertEquals(0L, back.metadata().seed());
    assertEquals(Map.of(), back.metadata().statistics());
  }

  @Test
  void aModelWithLocalCodebooksIsRefusedWithAClearMessage() {
    LopqModel local = io.lopq.model.RandomModels.withLocalCodebooks(new java.util.Random(4), model, 0.5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> YahooLopqProtobuf.write(local, out));
    assertTrue(e.getMessage().contains("local codebooks") && e.getMessage().contains("--codebooks global"),
        e.getMessage());
    assertEquals(0, out.size(), "nothing is written");
    assertThrows(IllegalArgumentException.class, () -> YahooLopqProtobuf.toBytes(local));
  }

  @Test
  void bytesToModelToBytesIsIdentical() throws IOException {
    byte[] bytes = YahooLopqProtobuf.toBytes(model);
    assertArrayEquals(bytes, YahooLopqProtobuf.toBytes(YahooLopqProtobuf.fromBytes(bytes)));
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    YahooLopqProtobuf.write(YahooLopqProtobuf.read(new ByteArrayInputStream(bytes)), streamed);
    assertArrayEquals(bytes, streamed.toByteArray(), "stream variants give the same bytes");
  }

  /** Parses our bytes with protobuf's generic parser: the wire layout must be Yahoo's .proto. */
  @Test
  void wireLayoutMatchesYahoosProto() throws IOException {
    UnknownFieldSet message = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(model));
    assertEquals(List.of((long) D), message.getField(1).getVarintList(), "D = 1");
    assertEquals(List.of((long) V), message.getField(2).getVarintList(), "V = 2");
    assertEquals(List.of((long) M), message.getField(3).getVarintList(), "M = 3");
    assertEquals(List.of((long) K), message.getField(4).getVarintList(), "num_subquantizers = 4 (K)");
    assertEquals(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), new ArrayList<>(message.asMap().keySet()));

    List<ByteString> cs = message.getField(5).getLengthDelimitedList();
    assertEquals(2, cs.size());
    for (int h = 0; h < 2; h++) {
      assertMatrix(cs.get(h), model.coarseCentroids(h), 0, V, D / 2);
    }
    List<ByteString> rs = message.getField(6).getLengthDelimitedList();
    assertEquals(2 * V, rs.size());
    List<ByteString> mus = message.getField(7).getLengthDelimitedList();
    assertEquals(2 * V, mus.size());
    for (int h = 0; h < 2; h++) {
      for (int i = 0; i < V; i++) {
        assertMatrix(rs.get(h * V + i), model.rotations(h), model.rotationOffset(i), D / 2, D / 2);
        UnknownFieldSet mu = UnknownFieldSet.parseFrom(mus.get(h * V + i));
        assertEquals(List.of(1), new ArrayList<>(mu.asMap().keySet()), "Vector has only values = 1");
        assertArrayEquals(Arrays.copyOfRange(model.residualMeans(h), i * D / 2, (i + 1) * D / 2),
            packedFloats(mu.getField(1)));
      }
    }
    List<ByteString> subs = message.getField(8).getLengthDelimitedList();
    assertEquals(M, subs.size());
    for (int m = 0; m < M; m++) {
      assertMatrix(subs.get(m), model.codebook(m), 0, K, D / M);
    }
  }

  private static void assertMatrix(ByteString bytes, float[] source, int from, int rows, int columns)
      throws IOException {
    UnknownFieldSet matrix = UnknownFieldSet.parseFrom(bytes);
    assertEquals(List.of((long) rows, (long) columns), matrix.getField(2).getVarintList(), "shape = 2, unpacked");
    assertArrayEquals(Arrays.copyOfRange(source, from, from + rows * columns), packedFloats(matrix.getField(1)));
  }

  /** The floats of a packed field: exactly one length-delimited record, no fixed32 records. */
  private static float[] packedFloats(UnknownFieldSet.Field field) {
    assertEquals(List.of(), field.getFixed32List(), "values must be packed");
    assertEquals(1, field.getLengthDelimitedList().size(), "one packed record");
    ByteBuffer buffer = field.getLengthDelimitedList().get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(values);
    return values;
  }

  /** Unpacked floats, packed shapes, fields out of order and unknown fields: all valid protobuf. */
  @Test
  void handBuiltUnpackedMessageLoads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int m = 0; m < M; m++) {
      writeUnpackedMatrix(out, 8, model.codebook(m), 0, K, D / M);
    }
    out.writeString(99, "an unknown field");
    for (int h = 0; h < 2; h++) {
      writeUnpackedMatrix(out, 5, model.coarseCentroids(h), 0, V, D / 2);
    }
    for (int h = 0; h < 2; h++) {
      for (int i = 0; i < V; i++) {
        writeUnpackedMatrix(out, 6, model.rotations(h), model.rotationOffset(i), D / 2, D / 2);
        writeUnpackedVector(out, model.residualMeans(h), i * D / 2, D / 2);
      }
    }
    out.writeUInt32(4, K);
    out.writeUInt32(3, M);
    out.writeUInt32(2, V);
    out.writeUInt32(1, D);
    out.writeFixed64(100, 7L);
    out.flush();
    LopqModel loaded = YahooLopqProtobuf.fromBytes(bytes.toByteArray());
    assertTrue(TestModels.sameArraysBitwise(model, loaded));
  }

  private static void writeUnpackedMatrix(CodedOutputStream out, int field, float[] values, int from, int rows,
      int columns) throws IOException {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream matrix = CodedOutputStream.newInstance(inner);
    for (int i = 0; i < rows * columns; i++) {
      matrix.writeFloat(1, values[from + i]);
    }
    matrix.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    matrix.writeUInt32NoTag(CodedOutputStream.computeUInt32SizeNoTag(rows) + CodedOutputStream.computeUInt32SizeNoTag(columns));
    matrix.writeUInt32NoTag(rows);
    matrix.writeUInt32NoTag(columns);
    matrix.writeString(15, "unknown inside a matrix");
    matrix.flush();
    out.writeByteArray(field, inner.toByteArray());
  }

  private static void writeUnpackedVector(CodedOutputStream out, float[] values, int from, int count)
      throws IOException {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream vector = CodedOutputStream.newInstance(inner);
    for (int i = 0; i < count; i++) {
      vector.writeFloat(1, values[from + i]);
    }
    vector.flush();
    out.writeByteArray(7, inner.toByteArray());
  }

  @Test
  void wrongCountsNameTheFieldAndTheExpectedCount() throws IOException {
    assertFails(BadYahooFiles.withoutLastRecords(model, 6, 1), Problem.SHAPE_MISMATCH,
        "Rs has 5 matrices, expected 2V = 6");
    assertFails(BadYahooFiles.withoutLastRecords(model, 7, 2), Problem.SHAPE_MISMATCH,
        "mus has 4 vectors, expected 2V = 6");
    assertFails(BadYahooFiles.withoutLastRecords(model, 8, 1), Problem.SHAPE_MISMATCH,
        "subs has 3 matrices, expected M = 4");
    assertFails(BadYahooFiles.withoutLastRecords(model, 5, 1), Problem.SHAPE_MISMATCH,
        "Cs has 1 matrices, expected 2 (one per half)");
  }

  @Test
  void wrongShapesNameTheMatrixAndTheExpectedShape() throws IOException {
    LopqModel wide = TestModels.random(4, 10, V, 2, K, ModelMetadata.EMPTY);
    UnknownFieldSet ours = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(model));
    UnknownFieldSet theirs = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(wide));
    UnknownFieldSet.Field mixedCs = UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(ours.getField(5).getLengthDelimitedList().get(0))
        .addLengthDelimited(theirs.getField(5).getLengthDelimitedList().get(1))
        .build();
    byte[] bytes = UnknownFieldSet.newBuilder(ours).clearField(5).addField(5, mixedCs).build().toByteArray();
    assertFails(bytes, Problem.SHAPE_MISMATCH, "Cs[1] has shape [3, 5], expected V x D/2 = [3, 4]");

    UnknownFieldSet.Field noShape = UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(ours.getField(8).getLengthDelimitedList().get(0))
        .addLengthDelimited(UnknownFieldSet.newBuilder()
            .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[12])).build())
            .build().toByteString())
        .addLengthDelimited(ours.getField(8).getLengthDelimitedList().get(2))
        .addLengthDelimited(ours.getField(8).getLengthDelimitedList().get(3))
        .build();
    bytes = UnknownFieldSet.newBuilder(ours).clearField(8).addField(8, noShape).build().toByteArray();
    assertFails(bytes, Problem.SHAPE_MISMATCH, "subs[1] has 3 values, expected K x D/M = 5 x 2 = 10");
  }

  @Test
  void missingParameterIsNamed() throws IOException {
    UnknownFieldSet ours = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(model));
    byte[] bytes = UnknownFieldSet.newBuilder(ours).clearField(1).build().toByteArray();
    assertFails(bytes, Problem.MALFORMED, "field D (1) is missing");
  }

  @Test
  void nonFiniteMeansAreNamedWithTheirCluster() throws IOException {
    LopqModel copy = TestModels.random(3, D, V, M, K, ModelMetadata.EMPTY);
    byte[] bytes = YahooLopqProtobuf.toBytes(copy);
    // Overwrite mus[4] (half 1, cluster 1), value 2 with NaN: find its packed bytes in the message.
    byte[] needle = floatBytes(copy.residualMeans(1), 1 * D / 2, D / 2);
    int at = indexOf(bytes, needle);
    ByteBuffer.wrap(bytes, at + 2 * 4, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
    assertFails(bytes, Problem.MALFORMED, "mus[4] (half 1, cluster 1) has a non-finite value NaN at index 2");
  }

  @Test
  void foreignAndTruncatedBytesAreRefused() {
    assertFails("{\"format\": \"lopq-spark-model\"}".getBytes(StandardCharsets.UTF_8), null, "Yahoo LOPQ protobuf");
    byte[] bytes = YahooLopqProtobuf.toBytes(model);
    assertFails(Arrays.copyOf(bytes, bytes.length - 7), Problem.MALFORMED, "not a valid protobuf message");
    assertFails(new byte[0], Problem.NOT_A_MODEL, "no LOPQModelParams field");
  }

  /** Every parse error of a named source carries the name, whatever layer found the problem. */
  @Test
  void errorsOfANamedSourceNameIt() throws IOException {
    String path = "hdfs://nn/models/yahoo.lopq";
    assertNamedFails(BadYahooFiles.truncated(model, 7), path, Problem.MALFORMED, "not a valid protobuf message");
    assertNamedFails(BadYahooFiles.wrongWireTypeForD(model), path, Problem.MALFORMED,
        "D has wire type 2, expected 0 (varint)");
    assertNamedFails(BadYahooFiles.missingRotation(model), path, Problem.SHAPE_MISMATCH,
        "Rs has 5 matrices, expected 2V = 6");
    assertNamedFails(new byte[0], path, Problem.NOT_A_MODEL, "no LOPQModelParams field");
  }

  /** A packed length that the bytes do not back fails on the missing bytes, not on a huge allocation. */
  @Test
  void corruptPackedLengthsAreRefusedWithoutAllocatingThem() throws IOException {
    for (int length : new int[] {-4, Integer.MAX_VALUE - 3}) {
      ByteArrayOutputStream inner = new ByteArrayOutputStream();
      CodedOutputStream matrix = CodedOutputStream.newInstance(inner);
      matrix.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      matrix.writeInt32NoTag(length);
      matrix.writeFixed32NoTag(0);
      matrix.flush();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeUInt32(1, D);
      out.writeByteArray(5, inner.toByteArray());
      out.flush();
      assertNamedFails(bytes.toByteArray(), "f.lopq", Problem.MALFORMED, "not a valid protobuf message");
    }
  }

  /**
   * A large D whose rotations are missing: refused on the matrices' shapes before the rotations'
   * V x D/2 x D/2 values (more than one Java array holds) are allocated.
   */
  @Test
  void largeParametersWithoutTheirArraysAreRefusedBeforeAllocating() throws IOException {
    int d = 1 << 16;
    int v = 2;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt32(1, d);
    out.writeUInt32(2, v);
    out.writeUInt32(3, 2);
    out.writeUInt32(4, 1);
    for (int i = 0; i < 2; i++) {
      writeUnpackedMatrix(out, 5, new float[v * d / 2], 0, v, d / 2);
    }
    for (int i = 0; i < 4; i++) {
      out.writeByteArray(6, new byte[0]);
      out.writeByteArray(7, new byte[0]);
    }
    for (int i = 0; i < 2; i++) {
      out.writeByteArray(8, new byte[0]);
    }
    out.flush();
    assertNamedFails(bytes.toByteArray(), "big.lopq", Problem.SHAPE_MISMATCH,
        "Rs[0] (half 0, cluster 0) has 0 values, expected D/2 x D/2 = 32768 x 32768 = 1073741824");
  }

  private static void assertNamedFails(byte[] bytes, String path, Problem problem, String fragment) {
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> YahooLopqProtobuf.read(new ByteArrayInputStream(bytes), path));
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(path, e.path());
    assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }

  private static void assertFails(byte[] bytes, Problem problem, String fragment) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> YahooLopqProtobuf.fromBytes(bytes));
    if (problem != null) {
      assertEquals(problem, e.problem(), e.getMessage());
    }
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }

  private static byte[] floatBytes(float[] values, int from, int count) {
    ByteBuffer buffer = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < from + count; i++) {
      buffer.putFloat(values[i]);
    }
    return buffer.array();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("bytes not found");
  }
}
