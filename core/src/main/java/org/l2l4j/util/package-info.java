/**
 * Small shared utilities of the core module: spec strings ({@link org.l2l4j.util.Spec}), seed
 * derivation ({@link org.l2l4j.util.Seeds}), a dependency-free JSON reader/writer
 * ({@link org.l2l4j.util.Json}), atomic file writes ({@link org.l2l4j.util.AtomicFiles}) and
 * guarded reads of outside files ({@link org.l2l4j.util.InputFiles}).
 */
package org.l2l4j.util;
