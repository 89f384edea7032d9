package io.lopq.bench.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts table rows into a section of a Markdown document such as {@code docs/BENCHMARKS.md}: after the
 * last table line of the section (the last section of that heading, if there are several), under a
 * new table header when the section has no table yet; a missing section is created at the end of the
 * document with its introduction and the table header.
 */
public final class BenchmarksDocument {
  private static final String TABLE_LINE = "|";
  private static final String NEXT_SECTION = "## ";

  private final String heading;
  private final List<String> introduction;
  private final String header;
  private final String rule;

  /**
   * @param heading the section's heading line, e.g. "## Pipeline on Fashion-MNIST (...)"
   * @param introduction lines between the heading and the table of a newly created section
   * @param header the table's header line
   * @param rule the line under the header
   */
  public BenchmarksDocument(String heading, List<String> introduction, String header, String rule) {
    this.heading = heading;
    this.introduction = List.copyOf(introduction);
    this.header = header;
    this.rule = rule;
  }

  /** The document's lines with {@code rows} put into the section. */
  public List<String> withRows(List<String> document, List<String> rows) {
    int start = document.lastIndexOf(heading);
    List<String> out = new ArrayList<>(document);
    if (start < 0) {
      out.add("");
      out.add(heading);
      out.add("");
      out.addAll(introduction);
      out.add("");
      out.add(header);
      out.add(rule);
      out.addAll(rows);
      return out;
    }
    int last = start;
    for (int i = start + 1; i < document.size() && !document.get(i).startsWith(NEXT_SECTION); i++) {
      if (document.get(i).startsWith(TABLE_LINE)) {
        last = i;
      }
    }
    List<String> inserted = new ArrayList<>();
    if (last == start) {
      inserted.add("");
      inserted.add(header);
      inserted.add(rule);
    }
    inserted.addAll(rows);
    out.addAll(last + 1, inserted);
    return out;
  }
}
