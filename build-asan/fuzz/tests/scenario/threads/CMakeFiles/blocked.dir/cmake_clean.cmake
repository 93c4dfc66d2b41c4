file(REMOVE_RECURSE
  "../../threads/blocked"
  "../../threads/blocked.pdb"
  "CMakeFiles/blocked.dir/blocked.c.o"
  "CMakeFiles/blocked.dir/blocked.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/blocked.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
