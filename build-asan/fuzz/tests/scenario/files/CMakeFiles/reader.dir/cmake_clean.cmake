file(REMOVE_RECURSE
  "../../files/reader"
  "../../files/reader.pdb"
  "CMakeFiles/reader.dir/reader.c.o"
  "CMakeFiles/reader.dir/reader.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/reader.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
