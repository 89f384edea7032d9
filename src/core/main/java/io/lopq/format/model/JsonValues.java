package io.lopq.format.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the JSON-like values of {@link io.lopq.model.ModelMetadata} to Jackson trees and back.
 *
 * <p>Written: {@code null}, {@code String}, {@code Boolean}, any {@code Number}, {@code Collection},
 * {@code Map} with string keys, object arrays and primitive arrays. Read back: {@code null},
 * {@code String}, {@code Boolean}, integers as the narrowest of {@code Integer}, {@code Long},
 * {@code BigInteger}, other numbers as {@code Double} (NaN and infinities included), arrays as
 * {@code List}, objects as insertion-ordered {@code Map}. So a value that was already of a read-back
 * type survives a round trip unchanged; others (a {@code Long} 5, a {@code Float}, an
 * {@code int[]}) come back as the read-back type of the same number(s).
 */
final class JsonValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonValues() {
  }

  /**
   * The JSON tree of {@code value}.
   *
   * @param where the value's name for messages, e.g. {@code parameters.iterations}
   * @throws IllegalArgumentException naming {@code where} and the type if a value is not JSON-like
   */
  static JsonNode toNode(Object value, String where) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Number n) {
      return numberNode(n, where);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("metadata " + where + " has a map key " + e.getKey()
              + " of type " + typeName(e.getKey()) + "; expected String keys");
        }
        object.set(key, toNode(e.getValue(), where + "." + key));
      }
      return object;
    }
    if (value instanceof Collection<?> collection) {
      ArrayNode array = NODES.arrayNode();
      int i = 0;
      for (Object element : collection) {
        array.add(toNode(element, where + "[" + i++ + "]"));
      }
      return array;
    }
    if (value.getClass().isArray()) {
      ArrayNode array = NODES.arrayNode();
      int length = java.lang.reflect.Array.getLength(value);
      for (int i = 0; i < length; i++) {
        array.add(toNode(java.lang.reflect.Array.get(value, i), where + "[" + i + "]"));
      }
      return array;
    }
    throw new IllegalArgumentException("metadata " + where + " has a value of type " + typeName(value)
        + "; expected String, Number, Boolean, null, List, Map or an array of those");
  }

  private static JsonNode numberNode(Number n, String where) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return NODES.numberNode(n.intValue());
    }
    if (n instanceof Long) {
      return NODES.numberNode(n.longValue());
    }
    if (n instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (n instanceof Float f) {
      return NODES.numberNode(f);
    }
    if (n instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (n instanceof BigDecimal b) {
      return NODES.numberNode(b);
    }
    throw new IllegalArgumentException("metadata " + where + " has a number of type " + typeName(n)
        + "; expected Integer, Long, Short, Byte, BigInteger, Float, Double or BigDecimal");
  }

  /** The plain Java value of a JSON tree (see the class comment for the types). */
  static Object fromNode(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (node.canConvertToInt()) {
        return node.intValue();
      }
      if (node.canConvertToLong()) {
        return node.longValue();
      }
      return node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode element : node) {
        list.add(fromNode(element));
      }
      return list;
    }
    if (node.isObject()) {
      return fromObject(node);
    }
    return node.asText();
  }

  /** The entries of a JSON object as an insertion-ordered map. */
  static Map<String, Object> fromObject(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      map.put(e.getKey(), fromNode(e.getValue()));
    }
    return map;
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
