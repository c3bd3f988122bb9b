#!/usr/bin/env bash
# Builds the bench module (and core) and prints the kernel timing table.
# Usage: bench/run-kernel-bench.sh [KernelBench options, e.g. --n 15910 --threads 1,2]
# JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/run-kernel-bench.sh  to time another JDK.
# The JVM prints "WARNING: Using incubator modules: jdk.incubator.vector" on stderr: expected.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
exec "${JAVA:-java}" --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -Xmx4g \
  -cp bench/target/benchmarks.jar org.l2l4j.bench.KernelBench "$@"
