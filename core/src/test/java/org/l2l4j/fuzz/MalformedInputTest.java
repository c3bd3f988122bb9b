package org.l2l4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l2l4j.learned.LstmConfig;
import org.l2l4j.learned.OptimizerFile;
import org.l2l4j.learned.OptimizerFileException;
import org.l2l4j.meta.Checkpoint;
import org.l2l4j.meta.CheckpointException;
import org.l2l4j.optim.Optimizers;
import org.l2l4j.problem.Problems;
import org.l2l4j.util.Json;
import org.l2l4j.util.JsonException;
import org.l2l4j.util.SpecException;

/**
 * Seeded robustness tests of every reader of outside input (see {@link Contract}): truncation at
 * every byte of a small valid input, a few thousand random byte flips, wrong magic, format and
 * version, wrong sizes and shapes, huge declared dimensions, deep nesting, non-finite numbers.
 */
class MalformedInputTest {
  static final long SEED = 20_260_528L;
  static final int FLIPS = 3000;
  static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  // ------------------------------------------------------------------ optimizer file

  @Test
  void optimizerFileTruncatedAtEveryByte() {
    byte[] all = Samples.optimizerFile().getBytes(StandardCharsets.UTF_8);
    String whole = new String(all, StandardCharsets.UTF_8).strip();
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int len = 0; len < all.length; len++) {
        byte[] cut = Arrays.copyOf(all, len);
        boolean complete = new String(cut, StandardCharsets.UTF_8).strip().equals(whole);
        Contract.optimizerFile(cut);
        if (!complete) {
          assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE,
              new String(cut, StandardCharsets.UTF_8))).as("cut at %d", len)
              .isInstanceOf(OptimizerFileException.class);
        }
        if (len % 97 == 0 && !complete) { // the file path too: the message names the file
          Path p = dir.resolve("cut.json");
          Files.write(p, cut);
          assertThatThrownBy(() -> OptimizerFile.read(p)).as("cut at %d", len)
              .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(p + ": ");
        }
      }
    });
  }

  @Test
  void optimizerFileThatIsNotUtf8IsNamed() throws Exception {
    byte[] all = Samples.optimizerFile().getBytes(StandardCharsets.UTF_8);
    all[all.length / 2] = (byte) 0xC3; // a lone lead byte
    all[all.length / 2 + 1] = (byte) '"';
    Path p = dir.resolve("latin.json");
    Files.write(p, all);
    assertThatThrownBy(() -> OptimizerFile.read(p)).isInstanceOf(OptimizerFileException.class)
        .hasMessage(p + ": not UTF-8 text (the file may be corrupt)");
  }

  @Test
  void optimizerFileRandomByteFlips() {
    byte[] all = Samples.optimizerFile().getBytes(StandardCharsets.UTF_8);
    assertTimeoutPreemptively(LIMIT, () -> {
      Random rng = new Random(SEED);
      for (int i = 0; i < FLIPS; i++) {
        Contract.optimizerFile(flip(all, rng));
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "format=\"l2l4j-checkpoint\"|not an l2l4j optimizer file",
    "format=-|not an l2l4j optimizer file",
    "version=3|unsupported version 3",
    "version=\"1\"|'version' must be a finite number",
    "version=1.5|'version' must be an integer",
    "version=-|missing field 'version'",
    "spec=\"lstm(layers=2\"|missing closing ')'",
    "spec=\"adam(lr=1)\"|expected an lstm(...) spec",
    "spec=17|'spec' must be a string",
    "parameter_count=36|parameter_count 36 does not match",
    "parameter_count=1e300|'parameter_count' must be an integer",
    "tensors={}|'tensors' must be an array",
    "tensors=[]|0 tensors",
    "provenance=[1]|'provenance' must be an object",
    "conventions=-|",
  })
  void optimizerFileWrongFields(String change) {
    String[] kv = change.split("\\|", -1);
    String key = kv[0].substring(0, kv[0].indexOf('='));
    String value = kv[0].substring(kv[0].indexOf('=') + 1);
    Map<String, Object> m = optimizerObject();
    if (value.equals("-")) {
      m.remove(key);
    } else {
      m.put(key, Json.parse(value));
    }
    String text = Json.write(m);
    Contract.optimizerFile(text.getBytes(StandardCharsets.UTF_8));
    if (kv[1].isEmpty()) { // an informational field: still a good file
      assertThat(OptimizerFile.parse(Contract.WHERE, text).weights()).hasSize(35);
    } else {
      assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, text))
          .isInstanceOf(OptimizerFileException.class).hasMessageContaining(kv[1]);
    }
  }

  @Test
  void optimizerFileWrongTensors() {
    expectOptimizerError(t -> t.get(0).put("name", "lstm9/w"), "tensor 0 is 'lstm9/w'");
    expectOptimizerError(t -> t.get(0).put("name", "x\n".repeat(200)), "tensor 0 is 'x?x?");
    expectOptimizerError(t -> t.get(0).put("shape", List.of(4.0)), "has shape [4]");
    expectOptimizerError(t -> t.get(0).put("shape", List.of(1e9, 1e9)), "has shape");
    expectOptimizerError(t -> t.get(1).put("values", List.of(1.0)), "has 1 values, expected 8");
    expectOptimizerError(t -> t.get(1).put("values", "zeros"), "must be an array");
    expectOptimizerError(t -> values(t.get(2)).set(0, 1e39), "not a finite number in float range");
    expectOptimizerError(t -> values(t.get(2)).set(1, null), "element 1 is not a finite number");
    expectOptimizerError(t -> values(t.get(2)).set(1, "1"), "element 1 is not a finite number");
    expectOptimizerError(t -> t.remove(3), "3 tensors, spec");
    expectOptimizerError(t -> t.add(new LinkedHashMap<>(t.get(3))), "5 tensors, spec");
  }

  @Test
  void hugeDeclaredDimensionsAreRefusedBeforeAnythingIsAllocated() throws Exception {
    // 8 layers of 4096 cells: 1.07e9 weights (4.3 GB) declared in a few hundred bytes
    String huge = "lstm(layers=4096x4096x4096x4096x4096x4096x4096x4096)";
    Map<String, Object> m = optimizerObject();
    m.put("spec", huge);
    m.put("parameter_count", 1_073_741_825);
    List<Object> stubs = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      stubs.add(Map.of("name", "x", "shape", List.of(1), "values", List.of()));
    }
    m.put("tensors", stubs);
    String text = Json.write(m);
    assertTimeoutPreemptively(LIMIT, () -> assertThatThrownBy(
        () -> OptimizerFile.parse(Contract.WHERE, text)).isInstanceOf(OptimizerFileException.class)
        .hasMessageContaining("weights is more than the limit"));
    assertThatThrownBy(() -> LstmConfig.parse("lstm(layers=4096)"))
        .hasMessageContaining("more than the limit");
    assertThatThrownBy(() -> Problems.parse("quadratic(dim=4096,batch=65536)"))
        .isInstanceOf(SpecException.class).hasMessageContaining("matrix entries");

    Map<String, Object> body = Contract.bodyObject(Samples.checkpoint());
    body.put("lstm", huge);
    byte[] ckpt = Contract.withHeader(Json.write(body).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, ckpt))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("more than the limit");

    // files beyond the size limits are refused from their size alone (sparse files: no disk used)
    Path bigJson = sparse("big.json", OptimizerFile.MAX_BYTES + 1);
    assertThatThrownBy(() -> OptimizerFile.read(bigJson)).isInstanceOf(OptimizerFileException.class)
        .hasMessage(bigJson + ": " + (OptimizerFile.MAX_BYTES + 1)
            + " bytes is too large for an optimizer file");
    Path bigCkpt = sparse("big.ckpt", Checkpoint.MAX_BYTES + 1);
    assertThatThrownBy(() -> Checkpoint.read(bigCkpt, null)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("too large for a checkpoint");
  }

  @Test
  void deepNestingIsRefusedWithoutAStackOverflow() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (String open : new String[] {"[", "{\"a\":"}) {
        String deep = open.repeat(200_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class)
            .hasMessageContaining("nesting deeper than " + Json.MAX_DEPTH);
        Map<String, Object> m = optimizerObject();
        String text = Json.write(m).replace("\"provenance\": {", "\"provenance\": {\"x\": " + deep);
        assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, text))
            .isInstanceOf(OptimizerFileException.class).hasMessageContaining("nesting deeper");
      }
      String ok = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
      assertThat(Json.parse(ok)).isInstanceOf(List.class);
      Contract.json("[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2));
    });
  }

  // ------------------------------------------------------------------ checkpoint

  @Test
  void checkpointTruncatedAtEveryByte() {
    byte[] all = Samples.checkpoint();
    assertThat(Checkpoint.parse(Contract.WHERE, all).state().epoch).isEqualTo(12);
    assertTimeoutPreemptively(LIMIT, () -> {
      for (int len = 0; len < all.length; len++) {
        byte[] cut = Arrays.copyOf(all, len);
        assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, cut)).as("cut at %d", len)
            .isInstanceOf(CheckpointException.class).hasMessageStartingWith(Contract.WHERE + ": ");
        Contract.checkpoint(cut);
      }
    });
  }

  @Test
  void checkpointRandomByteFlipsInTheFileAndBehindAValidChecksum() {
    byte[] all = Samples.checkpoint();
    byte[] body = Contract.body(all);
    assertTimeoutPreemptively(LIMIT, () -> {
      Random rng = new Random(SEED);
      for (int i = 0; i < FLIPS; i++) {
        byte[] f = flip(all, rng);
        if (!Arrays.equals(f, all)) { // the checksum catches every change
          assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, f))
              .isInstanceOf(CheckpointException.class);
        }
        Contract.checkpoint(f);
        Contract.checkpointBody(flip(body, rng)); // the fields' own validation
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "l2l4j-checkpnt v1|not an l2l4j checkpoint",
    "l2l4j-checkpoint v3|unsupported checkpoint version 'v3' (this build reads v1 and v2)",
    "l2l4j-checkpoint v1 crc32=xyz bytes=5|bad checkpoint header",
    "l2l4j-checkpoint v1 crc32=00000000 bytes=-5|bad checkpoint header",
    "l2l4j-checkpoint v1 crc32=00000000 bytes=99999999999|bad checkpoint header",
    "l2l4j-checkpoint v1 crc32=00000000 bytes=1|truncated or padded checkpoint",
    "l2l4j-checkpoint v1 crc32=00000000 bytes=0 extra|not an l2l4j checkpoint",
    "|not an l2l4j checkpoint",
  })
  void checkpointWrongHeaders(String change) {
    String[] kv = change.split("\\|", -1);
    byte[] body = Contract.body(Samples.checkpoint());
    byte[] head = (kv[0] + (kv[0].contains("bytes=") ? "" : " crc32=00000000 bytes=" + body.length)
        + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, all))
        .isInstanceOf(CheckpointException.class).hasMessageStartingWith(Contract.WHERE + ": ")
        .hasMessageContaining(kv[1]);
    byte[] noNewline = new byte[300];
    Arrays.fill(noNewline, (byte) 'a');
    assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, noNewline))
        .hasMessageContaining("no header line");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "weights=[1,2]|'weights' has 2 values, expected 35",
    "outer=-|missing field 'outer'",
    "outer={\"spec\":\"adam(lr=1)\"}|missing field 'state'",
    "outer={\"spec\":\"adamw(lr=1)\",\"state\":{}}|unknown optimizer 'adamw'",
    "outer={\"spec\":\"adam(lr=1)\",\"state\":7}|'outer.state' must be an object",
    "outer={\"spec\":\"adam(lr=1)\",\"state\":{\"learning_rate\":1}}|missing field 't'",
    "best_weights=7|'best_weights' must be an array",
    "lstm=\"lstm(layers=3,preproc=none)\"|'weights' has 35 values, expected 64",
    "lstm=\"lstm(preset=nope)\"|unknown lstm preset 'nope'",
    "seed=\"abc\"|'seed' is not an integer",
    "seed=12|'seed' must be a string",
    "epoch=-1|'epoch' must be an integer in [0,",
    "epoch=1e10|'epoch' must be an integer in [0,",
    "best_epoch=13|'best_epoch' must be an integer in [0, 12]",
    "best_score=\"x\"|'best_score' must be a finite number",
  })
  void checkpointWrongFields(String change) {
    String[] kv = change.split("\\|", -1);
    String key = kv[0].substring(0, kv[0].indexOf('='));
    String value = kv[0].substring(kv[0].indexOf('=') + 1);
    expectCheckpointError(m -> {
      if (value.equals("-")) {
        m.remove(key);
      } else {
        m.put(key, Json.parse(value));
      }
    }, kv[1]);
  }

  @Test
  void checkpointNonFiniteAndNegativeValues() {
    for (String field : new String[] {"weights", "best_weights"}) {
      expectCheckpointError(m -> list(m, field).set(3, null), "'" + field + "' element 3");
      expectCheckpointError(m -> list(m, field).set(4, -3.5e38 * 10), "'" + field + "' element 4");
    }
    for (String field : new String[] {"m", "v"}) {
      expectCheckpointError(m -> list(outerState(m), field).set(3, null),
          "outer optimizer state: field '" + field + "' element 3");
    }
    expectCheckpointError(m -> list(outerState(m), "v").set(5, -1e-9),
        "outer optimizer state: 'v' element 5 is negative");
    expectCheckpointError(m -> outerState(m).put("learning_rate", 0.0),
        "outer optimizer state: 'learning_rate' must be > 0");
    expectCheckpointError(m -> outerState(m).put("learning_rate", null),
        "outer optimizer state: field 'learning_rate' must be a finite number");
    expectCheckpointError(m -> outerState(m).put("t", 0.5),
        "outer optimizer state: field 't' must be an integer");
    expectCheckpointError(m -> m.put("best_score", -0.0), null); // a finite score is fine
  }

  // ------------------------------------------------------------------ specs and JSON

  @Test
  void specsTruncatedFlippedAndRandom() {
    assertTimeoutPreemptively(LIMIT, () -> {
      for (String spec : Samples.SPECS) {
        for (int len = 0; len <= spec.length(); len++) {
          Contract.specs(spec.substring(0, len));
        }
      }
      Random rng = new Random(SEED);
      String alphabet = "()=,.x-+eE0123456789 adglmnoprstqukbc_\t\u0663\u00a0";
      for (int i = 0; i < FLIPS; i++) {
        char[] s = Samples.SPECS.get(rng.nextInt(Samples.SPECS.size())).toCharArray();
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
          s[rng.nextInt(s.length)] = alphabet.charAt(rng.nextInt(alphabet.length()));
        }
        Contract.specs(new String(s));
        StringBuilder random = new StringBuilder();
        for (int k = rng.nextInt(30); k > 0; k--) {
          random.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        Contract.specs(random.toString());
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "sgd(lr=0)", "sgd(lr=-0.1)", "sgd(lr=NaN)", "sgd(lr=nan)", "sgd(lr=inf)", "sgd(lr=Infinity)",
    "sgd(lr=1e999)", "sgd(lr=1d)", "sgd(lr=0x1p-3)", "sgd(lr=\u0661)", "adam(lr=0.1,b1=1)",
    "adam(eps=0)", "nag(momentum=-0.5)", "rmsprop(alpha=NaN)", "adamw(lr=0.1)", "sgd(lr=0.1,x=1)",
    "lstm(layers=99999999999)", "lstm(layers=20x-3)", "lstm(layers=+20)", "lstm(gac=-1)",
    "lstm(layers=4x4,gac=5)", "lstm(scale=0)", "lstm(preproc=log-sign(p=0))", "lstm(init=random)",
    "lstm(layers=1x1x1x1x1x1x1x1x1)", "quadratic(dim=0)", "quadratic(dim=99999999999)",
    "quadratic(preset=mnist)", "simple(dim=3)", "x(a=1", "x(a=1))", "(a=1)", "",
  })
  void badSpecsAreSpecExceptions(String text) {
    Contract.specs(text);
    boolean anyAccepted = false;
    for (Runnable parse : List.<Runnable>of(() -> Optimizers.parseBaseline(text),
        () -> LstmConfig.parse(text), () -> Problems.parse(text))) {
      try {
        parse.run();
        anyAccepted = true;
      } catch (SpecException expected) {
        assertThat(expected.getMessage()).doesNotContain("\n");
      }
    }
    assertThat(anyAccepted).as(text).isFalse();
  }

  @Test
  void jsonTruncatedFlippedAndOddNumbers() {
    assertTimeoutPreemptively(LIMIT, () -> {
      String doc = Samples.optimizerFile();
      for (int len = 0; len < doc.length(); len += 3) {
        Contract.json(doc.substring(0, len));
      }
      Random rng = new Random(SEED);
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < FLIPS; i++) {
        Contract.json(new String(flip(bytes, rng), StandardCharsets.UTF_8));
      }
    });
    for (String bad : new String[] {"\u0663", "-\u0663", "1.\u0663", "1e\u0663", "\"\\u+041\"",
        "\"\\u-041\"", "\"\\u00g1\"", "\"\\u\u0661\u0662\u0663\u0664\"", "01", "1.", "-", "1e",
        "\"\\x\"", "\"\u0001\"", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "nul", "[1 2]", "1 2"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
      Contract.json(bad);
    }
    assertThat(Json.parse("\"\\u00E9\"")).isEqualTo("\u00e9");
    assertThat(Json.parse("-0")).isEqualTo(-0.0);
    assertThat(Json.write(new float[] {-0f, 0f})).isEqualTo("[-0,0]\n");
  }

  // ------------------------------------------------------------------ helpers

  /** A copy of {@code b} with 1 to 4 bytes changed: xor-ed, or set to a JSON-ish character. */
  static byte[] flip(byte[] b, Random rng) {
    byte[] f = b.clone();
    String jsonish = "{}[]\":,-.0123456789eE \\unl\n";
    for (int k = 1 + rng.nextInt(4); k > 0 && f.length > 0; k--) {
      int at = rng.nextInt(f.length);
      f[at] = rng.nextBoolean() ? (byte) (f[at] ^ (1 + rng.nextInt(255)))
          : (byte) jsonish.charAt(rng.nextInt(jsonish.length()));
    }
    return f;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> optimizerObject() {
    return (Map<String, Object>) Json.parse(Samples.optimizerFile());
  }

  @SuppressWarnings("unchecked")
  static void expectOptimizerError(Consumer<List<Map<String, Object>>> change, String message) {
    Map<String, Object> m = optimizerObject();
    List<Map<String, Object>> tensors = (List<Map<String, Object>>) (List<?>) m.get("tensors");
    change.accept(tensors);
    String text = Json.write(m);
    Contract.optimizerFile(text.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> OptimizerFile.parse(Contract.WHERE, text))
        .isInstanceOf(OptimizerFileException.class).hasMessageStartingWith(Contract.WHERE + ": ")
        .hasMessageContaining(message);
  }

  @SuppressWarnings("unchecked")
  static List<Object> values(Map<String, Object> tensor) {
    return (List<Object>) tensor.get("values");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> outerState(Map<String, Object> m) {
    return (Map<String, Object>) ((Map<String, Object>) m.get("outer")).get("state");
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String field) {
    return (List<Object>) m.get(field);
  }

  /** Changes the body of the sample checkpoint (behind a valid checksum); null: must be accepted. */
  static void expectCheckpointError(Consumer<Map<String, Object>> change, String message) {
    Map<String, Object> m = Contract.bodyObject(Samples.checkpoint());
    change.accept(m);
    byte[] all = Contract.withHeader(Json.write(m).getBytes(StandardCharsets.UTF_8));
    Contract.checkpoint(all);
    if (message == null) {
      assertThat(Checkpoint.parse(Contract.WHERE, all).state().epoch).isEqualTo(12);
    } else {
      assertThatThrownBy(() -> Checkpoint.parse(Contract.WHERE, all))
          .isInstanceOf(CheckpointException.class).hasMessageStartingWith(Contract.WHERE + ": ")
          .hasMessageContaining(message);
    }
  }

  private Path sparse(String name, long size) throws Exception {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }
}
