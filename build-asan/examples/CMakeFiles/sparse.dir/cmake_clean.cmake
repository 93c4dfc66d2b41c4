file(REMOVE_RECURSE
  "CMakeFiles/sparse.dir/sparse.c.o"
  "CMakeFiles/sparse.dir/sparse.c.o.d"
  "sparse"
  "sparse.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/sparse.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
