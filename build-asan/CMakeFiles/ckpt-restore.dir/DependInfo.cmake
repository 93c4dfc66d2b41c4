
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  "ASM"
  )
# The set of files for implicit dependencies of each language:
set(CMAKE_DEPENDS_CHECK_ASM
  "/work/main/launcher/bootstrap/start.S" "/work/main/build-asan/CMakeFiles/ckpt-restore.dir/launcher/bootstrap/start.S.o"
  "/work/main/lib/ctxjump.S" "/work/main/build-asan/CMakeFiles/ckpt-restore.dir/lib/ctxjump.S.o"
  )
set(CMAKE_ASM_COMPILER_ID "GNU")

# Preprocessor definitions for this target.
set(CMAKE_TARGET_DEFINITIONS_ASM
  "CKPT_RANGE_START=0x200000000000ul"
  "_GNU_SOURCE"
  )

# The include file search paths:
set(CMAKE_ASM_TARGET_INCLUDE_PATH
  "/work/main/include"
  "/work/main/lib"
  "/work/main/launcher/bootstrap"
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/launcher/bootstrap/boot.c" "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/boot.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/boot.c.o.d"
  "/work/main/launcher/bootstrap/libc.c" "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/libc.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/launcher/bootstrap/libc.c.o.d"
  "/work/main/lib/fault.c" "CMakeFiles/ckpt-restore.dir/lib/fault.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/lib/fault.c.o.d"
  "/work/main/lib/image.c" "CMakeFiles/ckpt-restore.dir/lib/image.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/lib/image.c.o.d"
  "/work/main/lib/procfs.c" "CMakeFiles/ckpt-restore.dir/lib/procfs.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/lib/procfs.c.o.d"
  "/work/main/lib/str.c" "CMakeFiles/ckpt-restore.dir/lib/str.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/lib/str.c.o.d"
  "/work/main/lib/trust.c" "CMakeFiles/ckpt-restore.dir/lib/trust.c.o" "gcc" "CMakeFiles/ckpt-restore.dir/lib/trust.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
