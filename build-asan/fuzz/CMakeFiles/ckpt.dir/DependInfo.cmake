
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  "ASM"
  )
# The set of files for implicit dependencies of each language:
set(CMAKE_DEPENDS_CHECK_ASM
  "/work/main/lib/ctxjump.S" "/work/main/build-asan/fuzz/CMakeFiles/ckpt.dir/lib/ctxjump.S.o"
  )
set(CMAKE_ASM_COMPILER_ID "Clang")

# Preprocessor definitions for this target.
set(CMAKE_TARGET_DEFINITIONS_ASM
  "CKPT_RANGE_START=0x200000000000ul"
  "_GNU_SOURCE"
  "ckpt_EXPORTS"
  )

# The include file search paths:
set(CMAKE_ASM_TARGET_INCLUDE_PATH
  "/work/main/include"
  "/work/main/lib"
  "/usr/include"
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/lib/checkpoint.c" "CMakeFiles/ckpt.dir/lib/checkpoint.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/checkpoint.c.o.d"
  "/work/main/lib/config.c" "CMakeFiles/ckpt.dir/lib/config.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/config.c.o.d"
  "/work/main/lib/fault.c" "CMakeFiles/ckpt.dir/lib/fault.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/fault.c.o.d"
  "/work/main/lib/fdkinds.c" "CMakeFiles/ckpt.dir/lib/fdkinds.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/fdkinds.c.o.d"
  "/work/main/lib/files.c" "CMakeFiles/ckpt.dir/lib/files.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/files.c.o.d"
  "/work/main/lib/image.c" "CMakeFiles/ckpt.dir/lib/image.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/image.c.o.d"
  "/work/main/lib/init.c" "CMakeFiles/ckpt.dir/lib/init.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/init.c.o.d"
  "/work/main/lib/interpose.c" "CMakeFiles/ckpt.dir/lib/interpose.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/interpose.c.o.d"
  "/work/main/lib/journal.c" "CMakeFiles/ckpt.dir/lib/journal.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/journal.c.o.d"
  "/work/main/lib/mem.c" "CMakeFiles/ckpt.dir/lib/mem.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/mem.c.o.d"
  "/work/main/lib/proc.c" "CMakeFiles/ckpt.dir/lib/proc.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/proc.c.o.d"
  "/work/main/lib/procfs.c" "CMakeFiles/ckpt.dir/lib/procfs.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/procfs.c.o.d"
  "/work/main/lib/restart.c" "CMakeFiles/ckpt.dir/lib/restart.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/restart.c.o.d"
  "/work/main/lib/signals.c" "CMakeFiles/ckpt.dir/lib/signals.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/signals.c.o.d"
  "/work/main/lib/sigwrap.c" "CMakeFiles/ckpt.dir/lib/sigwrap.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/sigwrap.c.o.d"
  "/work/main/lib/str.c" "CMakeFiles/ckpt.dir/lib/str.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/str.c.o.d"
  "/work/main/lib/threads.c" "CMakeFiles/ckpt.dir/lib/threads.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/threads.c.o.d"
  "/work/main/lib/timers.c" "CMakeFiles/ckpt.dir/lib/timers.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/timers.c.o.d"
  "/work/main/lib/trust.c" "CMakeFiles/ckpt.dir/lib/trust.c.o" "gcc" "CMakeFiles/ckpt.dir/lib/trust.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
