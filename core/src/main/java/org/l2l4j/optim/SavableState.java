package org.l2l4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An optimizer state that saves itself as named float arrays and numbers and restores itself from
 * them, so that a checkpoint can hold the state of any hand-designed optimizer (the
 * meta-trainer's outer optimizer) without knowing its class.
 */
public interface SavableState extends Optimizer.State {

  /** Receives the named values of a state. */
  interface Writer {
    /** An array (the writer copies it or writes it at once). */
    void floats(String name, float[] values);

    /** An integer. */
    void integer(String name, long value);

    /** A finite number. */
    void number(String name, double value);
  }

  /**
   * Gives back named values. Each method throws an unchecked exception naming the entry when it
   * is missing, of the wrong type or length, or out of range.
   */
  interface Reader {
    /** An array of exactly {@code length} finite floats. */
    float[] floats(String name, int length);

    /** An integer in [min, max]. */
    long integer(String name, long min, long max);

    /** A finite number. */
    double number(String name);
  }

  /** Writes every value of the state, in a fixed order. */
  void save(Writer out);

  /**
   * Replaces the state's values by those {@link #save} wrote.
   *
   * @throws IllegalArgumentException naming the entry when a value is out of its range (such as a
   *     negative second moment)
   */
  void load(Reader in);

  /**
   * What {@code save} writes, as a map in order: {@code float[]} copies, {@code Long} and {@code
   * Double} values.
   *
   * @param save a method that writes named values, such as a state's {@link #save}
   */
  static Map<String, Object> values(Consumer<Writer> save) {
    Map<String, Object> out = new LinkedHashMap<>();
    save.accept(new Writer() {
      @Override
      public void floats(String name, float[] a) {
        out.put(name, a.clone());
      }

      @Override
      public void integer(String name, long value) {
        out.put(name, value);
      }

      @Override
      public void number(String name, double value) {
        out.put(name, value);
      }
    });
    return out;
  }

  /** Checks that every element of {@code a} is {@code >= 0}, naming the entry otherwise. */
  static float[] requireNonNegative(String name, float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!(a[i] >= 0)) {
        throw new IllegalArgumentException("'" + name + "' element " + i + " is negative");
      }
    }
    return a;
  }
}
