# CMake generated Testfile for 
# Source directory: /work/main/tests/unit
# Build directory: /work/main/build-asan/tests/unit
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(unit "/work/main/build-asan/bin/unit_tests")
set_tests_properties(unit PROPERTIES  _BACKTRACE_TRIPLES "/work/main/tests/unit/CMakeLists.txt;25;add_test;/work/main/tests/unit/CMakeLists.txt;0;")
