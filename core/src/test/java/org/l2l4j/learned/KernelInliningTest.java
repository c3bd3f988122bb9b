package org.l2l4j.learned;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The passes of {@link VectorLstmKernel} that compute σ, tanh and ln must stay larger than C2's
 * {@code FreqInlineSize} (325 bytecodes on x86-64 and AArch64), so that C2 never inlines them into
 * their callers and compiles each on its own (see the kernel's note on the nonlinearities: inlined
 * into a large caller, they ran 2-3 times slower in some runs). This reads the bytecode length of
 * each method from the class file.
 */
class KernelInliningTest {
  /** C2's default FreqInlineSize: hot methods with more bytecodes than this are not inlined. */
  static final int FREQ_INLINE_SIZE = 325;

  @Test
  void theNonlinearityPassesAreTooLargeToInline() throws IOException {
    Map<String, Integer> sizes = codeLengths(VectorLstmKernel.class);
    assertThat(sizes).containsKeys("activate", "logPass");
    assertThat(sizes.get("activate")).isGreaterThan(FREQ_INLINE_SIZE);
    assertThat(sizes.get("logPass")).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void theReaderSeesSmallMethodsToo() throws IOException {
    // the check above cannot pass by a misread: small methods read as small
    Map<String, Integer> sizes = codeLengths(VectorLstmKernel.class);
    assertThat(sizes.get("lanes")).isBetween(1, 10);
    assertThat(sizes.get("gates")).isGreaterThan(FREQ_INLINE_SIZE);
  }

  /** Method name → bytecode length (the largest, for overloaded names) of a class file. */
  static Map<String, Integer> codeLengths(Class<?> c) throws IOException {
    String file = c.getSimpleName() + ".class";
    try (InputStream raw = c.getResourceAsStream(file);
        DataInputStream in = new DataInputStream(raw)) {
      in.readInt(); // magic
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
          case 5, 6 -> {
            in.skipNBytes(8);
            i++; // takes two entries
          }
          case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
          case 15 -> in.skipNBytes(3);
          default -> throw new IOException("unknown constant tag " + tag + " in " + file);
        }
      }
      in.skipNBytes(6); // access, this, super
      in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int f = 0; f < fields; f++) {
        in.skipNBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> sizes = new HashMap<>();
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        in.readUnsignedShort(); // access
        String name = utf8[in.readUnsignedShort()];
        in.readUnsignedShort(); // descriptor
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attr = utf8[in.readUnsignedShort()];
          int len = in.readInt();
          if (attr.equals("Code")) {
            in.readUnsignedShort(); // max stack
            in.readUnsignedShort(); // max locals
            int code = in.readInt();
            sizes.merge(name, code, Math::max);
            in.skipNBytes(len - 8L);
          } else {
            in.skipNBytes(len);
          }
        }
      }
      return sizes;
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.readUnsignedShort();
      in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
    }
  }
}
