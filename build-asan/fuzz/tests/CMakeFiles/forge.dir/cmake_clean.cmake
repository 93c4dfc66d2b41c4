file(REMOVE_RECURSE
  "CMakeFiles/forge.dir/__/lib/fault.c.o"
  "CMakeFiles/forge.dir/__/lib/fault.c.o.d"
  "CMakeFiles/forge.dir/__/lib/image.c.o"
  "CMakeFiles/forge.dir/__/lib/image.c.o.d"
  "CMakeFiles/forge.dir/__/lib/procfs.c.o"
  "CMakeFiles/forge.dir/__/lib/procfs.c.o.d"
  "CMakeFiles/forge.dir/__/lib/str.c.o"
  "CMakeFiles/forge.dir/__/lib/str.c.o.d"
  "CMakeFiles/forge.dir/__/lib/trust.c.o"
  "CMakeFiles/forge.dir/__/lib/trust.c.o.d"
  "CMakeFiles/forge.dir/scenario/forge.c.o"
  "CMakeFiles/forge.dir/scenario/forge.c.o.d"
  "forge"
  "forge.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/forge.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
