package io.lopq.io.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.encoded.KeptColumn;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** A kept column's type in Spark input, Avro files and Spark read back; the row schemas. */
class EncodedSchemaTest {
  private static StructField field(String name, DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  @Test
  void sparkInputTypesMapToStoredTypesAndBack() {
    Object[][] cases = {
        {DataTypes.StringType, KeptColumn.Type.STRING, Schema.Type.STRING, DataTypes.StringType},
        {DataTypes.LongType, KeptColumn.Type.LONG, Schema.Type.LONG, DataTypes.LongType},
        {DataTypes.IntegerType, KeptColumn.Type.INT, Schema.Type.INT, DataTypes.IntegerType},
        {DataTypes.ShortType, KeptColumn.Type.INT, Schema.Type.INT, DataTypes.IntegerType},
        {DataTypes.ByteType, KeptColumn.Type.INT, Schema.Type.INT, DataTypes.IntegerType},
        {DataTypes.DoubleType, KeptColumn.Type.DOUBLE, Schema.Type.DOUBLE, DataTypes.DoubleType},
        {DataTypes.FloatType, KeptColumn.Type.FLOAT, Schema.Type.FLOAT, DataTypes.FloatType},
        {DataTypes.BooleanType, KeptColumn.Type.BOOLEAN, Schema.Type.BOOLEAN, DataTypes.BooleanType},
        {DataTypes.BinaryType, KeptColumn.Type.BYTES, Schema.Type.BYTES, DataTypes.BinaryType}};
    for (Object[] c : cases) {
      KeptColumn kept = EncodedSchema.keptColumn(field("c", (DataType) c[0], false));
      assertEquals(c[1], kept.type(), c[0].toString());
      assertEquals(Schema.create((Schema.Type) c[2]), EncodedSchema.avroSchema(kept));
      assertEquals(field("c", (DataType) c[3], false), EncodedSchema.sparkField(kept));
    }
  }

  @Test
  void nullableColumnsBecomeAvroUnionsWithNull() {
    KeptColumn url = EncodedSchema.keptColumn(field("url", DataTypes.StringType, true));
    assertEquals(new KeptColumn("url", KeptColumn.Type.STRING, true), url);
    assertEquals(Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
        EncodedSchema.avroSchema(url));
    assertTrue(EncodedSchema.sparkField(url).nullable());
  }

  @Test
  void otherTypesAreRefusedNamingTheColumn() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> EncodedSchema.keptColumn(field("day", DataTypes.DateType, true))).getMessage();
    assertTrue(message.contains("'day'") && message.contains("date") && message.contains("cast it first"), message);
  }

  @Test
  void rowSchemasListOwnColumnsThenKeptColumns() {
    List<KeptColumn> kept = List.of(new KeptColumn("url", KeptColumn.Type.STRING, true));
    Schema avro = EncodedSchema.avro(true, kept);
    assertEquals("io.lopq.encoded.EncodedVector", avro.getFullName());
    assertEquals(List.of("id", "coarse0", "coarse1", "codes", "url"),
        avro.getFields().stream().map(Schema.Field::name).toList());
    assertEquals(Schema.Type.STRING, avro.getField("id").schema().getType());
    assertEquals(List.of("id", "coarse0", "coarse1", "codes", "url"),
        List.of(EncodedSchema.spark(false, kept).fieldNames()));
    assertEquals(DataTypes.LongType, EncodedSchema.spark(false, kept).fields()[0].dataType());
  }
}
