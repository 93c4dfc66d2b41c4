file(REMOVE_RECURSE
  "CMakeFiles/scenario.dir/__/lib/fault.c.o"
  "CMakeFiles/scenario.dir/__/lib/fault.c.o.d"
  "CMakeFiles/scenario.dir/__/lib/image.c.o"
  "CMakeFiles/scenario.dir/__/lib/image.c.o.d"
  "CMakeFiles/scenario.dir/__/lib/procfs.c.o"
  "CMakeFiles/scenario.dir/__/lib/procfs.c.o.d"
  "CMakeFiles/scenario.dir/__/lib/str.c.o"
  "CMakeFiles/scenario.dir/__/lib/str.c.o.d"
  "CMakeFiles/scenario.dir/__/lib/trust.c.o"
  "CMakeFiles/scenario.dir/__/lib/trust.c.o.d"
  "CMakeFiles/scenario.dir/scenario/scenario.c.o"
  "CMakeFiles/scenario.dir/scenario/scenario.c.o.d"
  "ckpt-scenario"
  "ckpt-scenario.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/scenario.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
