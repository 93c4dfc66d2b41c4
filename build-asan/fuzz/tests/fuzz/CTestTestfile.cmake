# CMake generated Testfile for 
# Source directory: /work/main/tests/fuzz
# Build directory: /work/main/build-asan/fuzz/tests/fuzz
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(fuzz.seeds "sh" "-c" "exec \"\$0\" \"\$1\"/*" "/work/main/build-asan/fuzz/tests/fuzz/fuzz_image" "/work/main/tests/fuzz/corpus")
set_tests_properties(fuzz.seeds PROPERTIES  ENVIRONMENT "FUZZ_IMAGE_EXPECT_VALID=1" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/main/tests/fuzz/CMakeLists.txt;27;add_test;/work/main/tests/fuzz/CMakeLists.txt;0;")
add_test(fuzz.image "/work/main/tests/fuzz/run.sh" "60" "/work/main/build-asan/fuzz/tests/fuzz/fuzz_image")
set_tests_properties(fuzz.image PROPERTIES  TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/fuzz/CMakeLists.txt;31;add_test;/work/main/tests/fuzz/CMakeLists.txt;0;")
