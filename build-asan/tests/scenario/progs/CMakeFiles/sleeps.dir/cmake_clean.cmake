file(REMOVE_RECURSE
  "../../progs/sleeps"
  "../../progs/sleeps.pdb"
  "CMakeFiles/sleeps.dir/sleeps.c.o"
  "CMakeFiles/sleeps.dir/sleeps.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/sleeps.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
