file(REMOVE_RECURSE
  "CMakeFiles/faultprog.dir/scenario/faultprog.c.o"
  "CMakeFiles/faultprog.dir/scenario/faultprog.c.o.d"
  "faultprog"
  "faultprog.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/faultprog.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
