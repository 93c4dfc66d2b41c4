file(REMOVE_RECURSE
  "../../threads/prodcons"
  "../../threads/prodcons.pdb"
  "CMakeFiles/prodcons.dir/prodcons.c.o"
  "CMakeFiles/prodcons.dir/prodcons.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/prodcons.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
