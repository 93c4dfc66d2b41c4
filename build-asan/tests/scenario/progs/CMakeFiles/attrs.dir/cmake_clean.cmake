file(REMOVE_RECURSE
  "../../progs/attrs"
  "../../progs/attrs.pdb"
  "CMakeFiles/attrs.dir/attrs.c.o"
  "CMakeFiles/attrs.dir/attrs.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/attrs.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
