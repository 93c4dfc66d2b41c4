file(REMOVE_RECURSE
  "CMakeFiles/ckpt-resume.dir/launcher/paths.c.o"
  "CMakeFiles/ckpt-resume.dir/launcher/paths.c.o.d"
  "CMakeFiles/ckpt-resume.dir/launcher/resume.c.o"
  "CMakeFiles/ckpt-resume.dir/launcher/resume.c.o.d"
  "CMakeFiles/ckpt-resume.dir/launcher/verify.c.o"
  "CMakeFiles/ckpt-resume.dir/launcher/verify.c.o.d"
  "CMakeFiles/ckpt-resume.dir/lib/fault.c.o"
  "CMakeFiles/ckpt-resume.dir/lib/fault.c.o.d"
  "CMakeFiles/ckpt-resume.dir/lib/image.c.o"
  "CMakeFiles/ckpt-resume.dir/lib/image.c.o.d"
  "CMakeFiles/ckpt-resume.dir/lib/procfs.c.o"
  "CMakeFiles/ckpt-resume.dir/lib/procfs.c.o.d"
  "CMakeFiles/ckpt-resume.dir/lib/str.c.o"
  "CMakeFiles/ckpt-resume.dir/lib/str.c.o.d"
  "CMakeFiles/ckpt-resume.dir/lib/trust.c.o"
  "CMakeFiles/ckpt-resume.dir/lib/trust.c.o.d"
  "bin/ckpt-resume"
  "bin/ckpt-resume.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ckpt-resume.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
