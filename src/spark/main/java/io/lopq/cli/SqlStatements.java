package io.lopq.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at each {@code ;} that is outside quotes ({@code '...'},
 * {@code "..."}, {@code `...`}) and comments ({@code -- ...} to the end of the line,
 * {@code /* ... *}{@code /}); blank statements are dropped.
 */
final class SqlStatements {
  private SqlStatements() {}

  /** The statements of {@code text}, trimmed, without their {@code ;}. */
  static List<String> split(String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = closing(text, i + 1, c);
        current.append(text, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        current.append(' ');
      } else if (c == ';') {
        add(statements, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return statements;
  }

  /** The index just past the quote that closes the one before {@code from} (a backslash escapes). */
  private static int closing(String text, int from, char quote) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return text.length();
  }

  private static void add(List<String> statements, StringBuilder current) {
    String s = current.toString().strip();
    if (!s.isEmpty()) {
      statements.add(s);
    }
    current.setLength(0);
  }
}
