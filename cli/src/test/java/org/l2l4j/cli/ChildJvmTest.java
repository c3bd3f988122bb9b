package org.l2l4j.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run the CLI in child JVMs: a temporary folder {@link #dir} for their
 * output and {@link #jvms}, whose children are killed after each test.
 */
abstract class ChildJvmTest {
  @TempDir Path dir;
  ChildJvms jvms;

  @BeforeEach
  void children() {
    jvms = new ChildJvms(dir);
  }

  @AfterEach
  void killLeftovers() {
    jvms.killAll();
  }
}
