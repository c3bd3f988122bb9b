/**
 * Timing mains for the DJL module ({@link org.l2l4j.djl.bench.DjlBench}); compiled with the
 * module, never run by the tests.
 */
package org.l2l4j.djl.bench;
