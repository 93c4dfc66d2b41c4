file(REMOVE_RECURSE
  "CMakeFiles/secprog.dir/scenario/secprog.c.o"
  "CMakeFiles/secprog.dir/scenario/secprog.c.o.d"
  "secprog"
  "secprog.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/secprog.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
