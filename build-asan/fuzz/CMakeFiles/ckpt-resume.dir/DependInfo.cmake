
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/launcher/paths.c" "CMakeFiles/ckpt-resume.dir/launcher/paths.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/launcher/paths.c.o.d"
  "/work/main/launcher/resume.c" "CMakeFiles/ckpt-resume.dir/launcher/resume.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/launcher/resume.c.o.d"
  "/work/main/launcher/verify.c" "CMakeFiles/ckpt-resume.dir/launcher/verify.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/launcher/verify.c.o.d"
  "/work/main/lib/fault.c" "CMakeFiles/ckpt-resume.dir/lib/fault.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/lib/fault.c.o.d"
  "/work/main/lib/image.c" "CMakeFiles/ckpt-resume.dir/lib/image.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/lib/image.c.o.d"
  "/work/main/lib/procfs.c" "CMakeFiles/ckpt-resume.dir/lib/procfs.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/lib/procfs.c.o.d"
  "/work/main/lib/str.c" "CMakeFiles/ckpt-resume.dir/lib/str.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/lib/str.c.o.d"
  "/work/main/lib/trust.c" "CMakeFiles/ckpt-resume.dir/lib/trust.c.o" "gcc" "CMakeFiles/ckpt-resume.dir/lib/trust.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
