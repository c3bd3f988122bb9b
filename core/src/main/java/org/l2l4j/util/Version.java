package org.l2l4j.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, from the build. */
public final class Version {
  private Version() {}

  /** The version string, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
  public static String get() {
    try (InputStream in = Version.class.getResourceAsStream("/org/l2l4j/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
