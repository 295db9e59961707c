package dev.flynn.bench.report;

import java.util.List;

/**
 * A table as both writers lay it out: the same cells, so that the HTML and the Markdown report say
 * the same thing.
 *
 * @param id a name for the table, unique in a report (the HTML id)
 * @param caption what the table shows, one sentence
 * @param headers column headers
 * @param rows rows of cells, each as many as there are headers
 * @param notes sentences printed under the table
 */
record Table(
    String id, String caption, List<String> headers, List<List<Cell>> rows, List<String> notes) {

  Table {
    headers = List.copyOf(headers);
    rows = rows.stream().map(List::copyOf).toList();
    notes = List.copyOf(notes);
    for (List<Cell> row : rows) {
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException(
            id + ": a row of " + row.size() + " cells under " + headers.size() + " headers");
      }
    }
  }

  /** How a cell reads. */
  enum Kind {
    /** Words: left-aligned. */
    TEXT,
    /** A number: right-aligned. */
    NUMBER,
    /** A number that is good news (a speed-up, Flynn ahead). */
    BETTER,
    /** A number that is bad news (a slow-down, Flynn behind). */
    WORSE,
    /** Something to look at (an allocation, a regression). */
    FLAG
  }

  /**
   * One cell.
   *
   * @param text what it shows
   * @param kind how it reads
   */
  record Cell(String text, Kind kind) {

    static Cell text(String text) {
      return new Cell(text, Kind.TEXT);
    }

    static Cell number(String text) {
      return new Cell(text, Kind.NUMBER);
    }

    /** A ratio where above 1 is better: shaded when it is clearly above or below 1. */
    static Cell ratio(double ratio) {
      Kind kind = ratio >= 1.05 ? Kind.BETTER : ratio <= 1 / 1.05 ? Kind.WORSE : Kind.NUMBER;
      return new Cell(Numbers.ratio(ratio), kind);
    }
  }
}
