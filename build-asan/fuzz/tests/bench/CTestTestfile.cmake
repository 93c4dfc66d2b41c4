# CMake generated Testfile for 
# Source directory: /work/main/tests/bench
# Build directory: /work/main/build-asan/fuzz/tests/bench
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(bench.stop-threads "/work/main/tests/bench/stop_threads.sh" "/work/main/build-asan/fuzz/bin" "/work/main/build-asan/fuzz/tests/bench/busy_threads")
set_tests_properties(bench.stop-threads PROPERTIES  LABELS "bench" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/main/tests/bench/CMakeLists.txt;8;add_test;/work/main/tests/bench/CMakeLists.txt;0;")
