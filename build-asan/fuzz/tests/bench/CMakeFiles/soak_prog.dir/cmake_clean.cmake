file(REMOVE_RECURSE
  "CMakeFiles/soak_prog.dir/soak_prog.c.o"
  "CMakeFiles/soak_prog.dir/soak_prog.c.o.d"
  "soak_prog"
  "soak_prog.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/soak_prog.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
