file(REMOVE_RECURSE
  "../../progs/static_prog"
  "../../progs/static_prog.pdb"
  "CMakeFiles/static_prog.dir/static_prog.c.o"
  "CMakeFiles/static_prog.dir/static_prog.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/static_prog.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
