package org.l2l4j.util;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from one recorded root seed. Each stream is named by a
 * purpose ("train", "valid", "test", "tune", ...) and an index, so that training, validation,
 * tuning and test problems come from disjoint streams and any one of them can be regenerated
 * without replaying the others.
 */
public final class Seeds {
  private Seeds() {}

  /** The SplitMix64 finaliser: a bijective 64-bit mixer. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A seed for stream ({@code purpose}, {@code index}) under {@code root}. */
  public static long derive(long root, String purpose, long index) {
    long h = mix(root + 0x9e3779b97f4a7c15L);
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xff));
    }
    return mix(h ^ mix(index + 0x632be59bd9b4e019L));
  }

  /** A fresh generator for stream ({@code purpose}, {@code index}) under {@code root}. */
  public static SplittableRandom stream(long root, String purpose, long index) {
    return new SplittableRandom(derive(root, purpose, index));
  }
}
