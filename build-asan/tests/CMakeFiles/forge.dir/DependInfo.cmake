
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/fault.c" "tests/CMakeFiles/forge.dir/__/lib/fault.c.o" "gcc" "tests/CMakeFiles/forge.dir/__/lib/fault.c.o.d"
  "/work/main/lib/image.c" "tests/CMakeFiles/forge.dir/__/lib/image.c.o" "gcc" "tests/CMakeFiles/forge.dir/__/lib/image.c.o.d"
  "/work/main/lib/procfs.c" "tests/CMakeFiles/forge.dir/__/lib/procfs.c.o" "gcc" "tests/CMakeFiles/forge.dir/__/lib/procfs.c.o.d"
  "/work/main/lib/str.c" "tests/CMakeFiles/forge.dir/__/lib/str.c.o" "gcc" "tests/CMakeFiles/forge.dir/__/lib/str.c.o.d"
  "/work/main/lib/trust.c" "tests/CMakeFiles/forge.dir/__/lib/trust.c.o" "gcc" "tests/CMakeFiles/forge.dir/__/lib/trust.c.o.d"
  "/work/main/tests/scenario/forge.c" "tests/CMakeFiles/forge.dir/scenario/forge.c.o" "gcc" "tests/CMakeFiles/forge.dir/scenario/forge.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
