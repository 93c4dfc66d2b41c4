
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/config.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/config.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/config.c.o.d"
  "/work/main/lib/fault.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/fault.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/fault.c.o.d"
  "/work/main/lib/image.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/image.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/image.c.o.d"
  "/work/main/lib/procfs.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/procfs.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/procfs.c.o.d"
  "/work/main/lib/str.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/str.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/str.c.o.d"
  "/work/main/lib/trust.c" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/trust.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/__/__/lib/trust.c.o.d"
  "/work/main/tests/unit/main.c" "tests/unit/CMakeFiles/unit_tests.dir/main.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/main.c.o.d"
  "/work/main/tests/unit/test_config.c" "tests/unit/CMakeFiles/unit_tests.dir/test_config.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/test_config.c.o.d"
  "/work/main/tests/unit/test_image.c" "tests/unit/CMakeFiles/unit_tests.dir/test_image.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/test_image.c.o.d"
  "/work/main/tests/unit/test_procfs.c" "tests/unit/CMakeFiles/unit_tests.dir/test_procfs.c.o" "gcc" "tests/unit/CMakeFiles/unit_tests.dir/test_procfs.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
