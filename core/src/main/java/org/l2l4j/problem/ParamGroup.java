package org.l2l4j.problem;

import java.util.Arrays;
import java.util.List;
import org.l2l4j.util.SpecException;

/**
 * A named segment of a problem's parameters θ (e.g. an MLP's {@code weights} or {@code biases}):
 * sorted, disjoint, non-empty half-open index ranges [start, end). A learned optimizer may run
 * one network per group.
 *
 * @param name the group's name ({@code [a-z][a-z0-9_-]*})
 * @param ranges start₀, end₀, start₁, end₁, …: sorted, disjoint, each non-empty (copied)
 */
public record ParamGroup(String name, int[] ranges) {
  /** The name of the default group, all of θ. */
  public static final String ALL = "all";

  /** Validates and copies. */
  public ParamGroup {
    if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
      throw new SpecException("bad parameter group name '" + name + "'");
    }
    ranges = ranges.clone();
    if (ranges.length == 0 || ranges.length % 2 != 0) {
      throw new IllegalArgumentException("group " + name + ": ranges must be start/end pairs");
    }
    long size = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      if (ranges[k] < (k == 0 ? 0 : ranges[k - 1]) || ranges[k + 1] <= ranges[k]) {
        throw new IllegalArgumentException(
            "group " + name + ": ranges must be sorted, disjoint and non-empty");
      }
      size += ranges[k + 1] - ranges[k];
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("group " + name + " too large");
    }
  }

  /** The group {@value #ALL} = [0, n). */
  public static ParamGroup all(int n) {
    return new ParamGroup(ALL, new int[] {0, n});
  }

  /** The ranges (a copy). */
  @Override
  public int[] ranges() {
    return ranges.clone();
  }

  /** The number of coordinates. */
  public int size() {
    int s = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      s += ranges[k + 1] - ranges[k];
    }
    return s;
  }

  /** Whether the group is exactly [0, n). */
  public boolean isWhole(int n) {
    return ranges.length == 2 && ranges[0] == 0 && ranges[1] == n;
  }

  /** Copies the group's coordinates of {@code full} into {@code packed[0..size)}, in order. */
  public void gather(float[] full, float[] packed) {
    int at = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      int len = ranges[k + 1] - ranges[k];
      System.arraycopy(full, ranges[k], packed, at, len);
      at += len;
    }
  }

  /** Copies {@code packed[0..size)} back to the group's coordinates of {@code full}. */
  public void scatter(float[] packed, float[] full) {
    int at = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      int len = ranges[k + 1] - ranges[k];
      System.arraycopy(packed, at, full, ranges[k], len);
      at += len;
    }
  }

  /** The names of {@code groups}, comma-separated, for messages. */
  public static String names(List<ParamGroup> groups) {
    StringBuilder b = new StringBuilder();
    for (ParamGroup g : groups) {
      b.append(b.length() == 0 ? "" : ", ").append(g.name());
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamGroup g && g.name.equals(name) && Arrays.equals(g.ranges, ranges);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(ranges);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(ranges);
  }
}
