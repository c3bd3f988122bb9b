/**
 * Small shared utilities of the core module: spec strings ({@link org.l2l4j.util.Spec}), seed
 * derivation ({@link org.l2l4j.util.Seeds}), a dependency-free JSON reader/writer
 * ({@link org.l2l4j.util.Json}) and atomic file writes ({@link org.l2l4j.util.AtomicFiles}).
 */
package org.l2l4j.util;
