file(REMOVE_RECURSE
  "CMakeFiles/bigmem.dir/bigmem.c.o"
  "CMakeFiles/bigmem.dir/bigmem.c.o.d"
  "bigmem"
  "bigmem.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bigmem.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
