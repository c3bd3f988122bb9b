package org.l2l4j.problem.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MnistJsonReaderTest {
  private static final int[] PER_DIGIT = {2, 1, 0, 3, 1, 1, 2, 1, 1, 2};

  @TempDir Path dir;

  @Test
  void readsAllDigitsInFileOrder() {
    NpmDigits.write(dir, PER_DIGIT);
    Dataset d = MnistJsonReader.read(dir);
    assertThat(d.count()).isEqualTo(14);
    assertThat(d.rows()).isEqualTo(28);
    assertThat(d.cols()).isEqualTo(28);
    assertThat(d.labelCounts()).containsExactly(PER_DIGIT);
    int i = 0;
    for (int digit = 0; digit < 10; digit++) {
      for (int k = 0; k < PER_DIGIT[digit]; k++, i++) {
        assertThat(d.label(i)).isEqualTo(digit);
        assertThat(d.pixel(i, 0)).isEqualTo(NpmDigits.marker(digit, k));
        assertThat(d.pixel(i, 1)).isEqualTo(1f);
        assertThat(d.pixel(i, 2)).isEqualTo(0.5f);
        assertThat(d.pixel(i, 783)).isEqualTo(0f);
      }
    }
  }

  @Test
  void decimalsParseLikeFloatParseFloat() {
    String[] values = {"0", "0.2", "0.624", "0.992", "0.196", "1", "1.0", "0.0", "0.5e0", "1E-3",
        "0.30000000000000004", "0.1234567890123456789", "-0"};
    StringBuilder sb = new StringBuilder("{\"data\":[");
    for (int p = 0; p < MnistJsonReader.PIXELS; p++) {
      sb.append(p == 0 ? "" : ",").append(values[p % values.length]);
    }
    Path f = IdxFiles.write(dir.resolve("0.json"), sb.append("]}").toString().getBytes(
        StandardCharsets.US_ASCII));
    float[] v = MnistJsonReader.readDigitFile(f);
    for (int p = 0; p < MnistJsonReader.PIXELS; p++) {
      assertThat(v[p]).isEqualTo(Float.parseFloat(values[p % values.length]));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"data\": [0, 1,]}                 | malformed JSON at byte 15: expected a number",
        "{\"data\": [0, 1]                   | malformed JSON at byte 15: expected '}', found end of file",
        "{\"data\": [0 1]}                   | malformed JSON at byte 12: expected ',' or ']'",
        "{\"pixels\": []}                    | malformed JSON at byte 1: expected the key \"data\"",
        "[0, 1]                              | malformed JSON at byte 0: expected '{'",
        "{\"data\": [01]}                    | malformed JSON at byte 11: expected ',' or ']'",
        "{\"data\": [0.]}                    | malformed JSON at byte 12: expected a digit after '.'",
        "{\"data\": [NaN]}                   | malformed JSON at byte 10: expected a number",
        "{\"data\": []} x                    | malformed JSON at byte 13: unexpected content",
        "{\"data\": [0, 1.5]}                | value 1.5 (image 0, pixel 1) is outside [0, 1]",
        "{\"data\": [0, -0.25]}              | value -0.25 (image 0, pixel 1) is outside [0, 1]",
        "{\"data\": [0, 1]}                  | 2 values, not a whole number of 784-pixel images",
        "''                                  | malformed JSON at byte 0: expected '{', found end of file"
      })
  void malformedFileIsNamed(String content, String message) {
    NpmDigits.write(dir, PER_DIGIT);
    Path bad = IdxFiles.write(dir.resolve("7.json"), content.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> MnistJsonReader.read(dir))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(bad + ": " + message);
  }

  @Test
  void missingDigitFileIsNamed() {
    NpmDigits.write(dir, PER_DIGIT);
    Path gone = dir.resolve("4.json");
    IdxFiles.write(gone, new byte[0]);
    assertThat(gone.toFile().delete()).isTrue();
    assertThatThrownBy(() -> MnistJsonReader.read(dir))
        .isInstanceOf(DataException.class)
        .hasMessage(gone + ": file not found");
  }
}
