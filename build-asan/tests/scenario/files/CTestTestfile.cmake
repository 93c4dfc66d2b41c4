# CMake generated Testfile for 
# Source directory: /work/main/tests/scenario/files
# Build directory: /work/main/build-asan/tests/scenario/files
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(scenario.files.outputs "/work/main/tests/scenario/as_user.sh" "/work/main/build-asan/tests/ckpt-scenario" "--bin" "/work/main/build-asan/bin" "--kills" "3" "--compare-all" "--" "/work/main/build-asan/tests/files/files_out" "400")
set_tests_properties(scenario.files.outputs PROPERTIES  PASS_REGULAR_EXPRESSION "scenario: PASS" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/scenario/files/CMakeLists.txt;7;ckpt_scenario;/work/main/tests/scenario/files/CMakeLists.txt;0;")
add_test(scenario.real.gzip "/work/main/tests/scenario/as_user.sh" "/work/main/build-asan/tests/ckpt-scenario" "--bin" "/work/main/build-asan/bin" "--period" "0.3" "--kills" "2" "--stdout" "out.gz" "--compare-all" "--setup" "/work/main/tests/scenario/files/make_input.sh 1000000" "--" "/usr/bin/gzip" "-9" "-n" "-c" "input.txt")
set_tests_properties(scenario.real.gzip PROPERTIES  PASS_REGULAR_EXPRESSION "scenario: PASS" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/scenario/files/CMakeLists.txt;13;ckpt_scenario;/work/main/tests/scenario/files/CMakeLists.txt;0;")
add_test(scenario.real.sort "/work/main/tests/scenario/as_user.sh" "/work/main/build-asan/tests/ckpt-scenario" "--bin" "/work/main/build-asan/bin" "--period" "0.3" "--kills" "2" "--compare-all" "--setup" "/work/main/tests/scenario/files/make_input.sh 3000000" "--" "/usr/bin/sort" "-S" "1G" "--parallel=1" "-o" "sorted.txt" "input.txt")
set_tests_properties(scenario.real.sort PROPERTIES  PASS_REGULAR_EXPRESSION "scenario: PASS" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/scenario/files/CMakeLists.txt;15;ckpt_scenario;/work/main/tests/scenario/files/CMakeLists.txt;0;")
add_test(scenario.real.python-append "/work/main/tests/scenario/as_user.sh" "/work/main/build-asan/tests/ckpt-scenario" "--bin" "/work/main/build-asan/bin" "--period" "0.3" "--kills" "2" "--compare-all" "--" "/usr/bin/python3" "/work/main/tests/scenario/files/append_results.py" "6000")
set_tests_properties(scenario.real.python-append PROPERTIES  PASS_REGULAR_EXPRESSION "scenario: PASS" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/scenario/files/CMakeLists.txt;18;ckpt_scenario;/work/main/tests/scenario/files/CMakeLists.txt;0;")
add_test(scenario.files.kinds "/work/main/tests/scenario/as_user.sh" "/work/main/build-asan/tests/ckpt-scenario" "--bin" "/work/main/build-asan/bin" "--kills" "3" "--compare-all" "--" "/work/main/build-asan/tests/files/fd_kinds" "600")
set_tests_properties(scenario.files.kinds PROPERTIES  PASS_REGULAR_EXPRESSION "scenario: PASS" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/scenario/files/CMakeLists.txt;25;ckpt_scenario;/work/main/tests/scenario/files/CMakeLists.txt;0;")
add_test(files.streams "/work/main/tests/scenario/as_user.sh" "/work/main/tests/scenario/files/streams.sh" "/work/main/build-asan/bin" "/work/main/build-asan/tests/files/reader")
set_tests_properties(files.streams PROPERTIES  PASS_REGULAR_EXPRESSION "streams: PASS" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/main/tests/scenario/files/CMakeLists.txt;32;add_test;/work/main/tests/scenario/files/CMakeLists.txt;0;")
