file(REMOVE_RECURSE
  "../../progs/plugin.pdb"
  "../../progs/plugin.so"
  "CMakeFiles/plugin.dir/plugin.c.o"
  "CMakeFiles/plugin.dir/plugin.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/plugin.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
