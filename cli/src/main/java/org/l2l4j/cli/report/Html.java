package org.l2l4j.cli.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Self-contained HTML pages: escaping, relative links, and one inline style sheet. */
final class Html {
  private Html() {}

  static final String CSS =
      """
      body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
             margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
      h1 { font-size: 1.5em; margin-bottom: 0.2em; }
      h2 { font-size: 1.15em; }
      .context { color: #555; margin-top: 0; }
      img.plot { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
      table { border-collapse: collapse; margin: 1.2em 0 0.4em; font-size: 0.92em; }
      th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #e4e4e4; text-align: left;
               white-space: nowrap; }
      th { border-bottom: 2px solid #999; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.best { font-weight: bold; background: #eef6ee; }
      code { font-size: 0.95em; }
      .legend { color: #666; font-size: 0.85em; margin-top: 0; }
      .cases { display: flex; flex-wrap: wrap; gap: 1em; }
      .case { border: 1px solid #ddd; padding: 0.5em; }
      .case a { color: inherit; text-decoration: none; }
      .case h2 { margin: 0.2em 0 0.4em; }
      """;

  /**
   * The values of {@code extra}'s keys that end in {@code _file} (such as {@code optimizer_file})
   * that name a file present in {@code dir}, in order: the files a report page links.
   */
  static List<String> existingFiles(Path dir, Map<String, Object> extra) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      if (e.getKey().endsWith("_file") && e.getValue() instanceof String f && !f.isBlank()
          && Files.isRegularFile(dir.resolve(f))) {
        out.add(f);
      }
    }
    return out;
  }

  /** A whole page with the given title and body markup. */
  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + CSS
        + "</style>\n</head>\n<body>\n"
        + body
        + "</body>\n</html>\n";
  }

  /** Escapes text for element content and quoted attribute values. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A relative path as a URL path: segments joined by '/', each percent-encoded. */
  static String href(Path rel) {
    StringJoiner j = new StringJoiner("/");
    for (Path p : rel) {
      String seg = p.toString();
      if (!seg.isEmpty()) {
        j.add(encode(seg));
      }
    }
    return j.toString();
  }

  private static String encode(String seg) {
    StringBuilder sb = new StringBuilder();
    for (byte b : seg.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (plain) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }
}
