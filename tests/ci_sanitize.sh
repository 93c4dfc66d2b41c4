#!/bin/bash
# The sanitizer job of CI:
#
#   tests/ci_sanitize.sh BUILD_DIR
#
# 1. BUILD_DIR: the normal compiler with -DCKPT_SANITIZE=ON, so ckpt-launch,
#    ckpt-resume, the unit tests and the scenario driver run under
#    AddressSanitizer and UndefinedBehaviorSanitizer, while libckpt and the
#    freestanding bootstrap are built the normal way.
# 2. BUILD_DIR/fuzz: clang with -DCKPT_FUZZ=ON, the fuzz target alone
#    (libFuzzer is clang's, and clang cannot build the bootstrap: it has
#    gcc-only flags).
# Then the unit, scenario and refusal tests of the first, and fuzz.seeds and
# a 60-second fuzz.image of the second.  Exits non-zero on any failure.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: ci_sanitize.sh BUILD_DIR}
# A sanitizer report names the line; UBSan's says how it got there too.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

cmake -S "$src" -B "$build" -DCKPT_SANITIZE=ON
cmake --build "$build" -j2
cmake -S "$src" -B "$build/fuzz" -DCMAKE_C_COMPILER=clang -DCKPT_FUZZ=ON
cmake --build "$build/fuzz" -j2 --target fuzz_image

ctest --test-dir "$build" --output-on-failure \
	-R '^(unit|scenario\.(compute|damaged|sparse)|refusal\..*|security\..*|faults\.real)$'
ctest --test-dir "$build/fuzz" --output-on-failure -R '^fuzz\.'
