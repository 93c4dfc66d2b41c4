file(REMOVE_RECURSE
  "../../files/files_out"
  "../../files/files_out.pdb"
  "CMakeFiles/files_out.dir/files_out.c.o"
  "CMakeFiles/files_out.dir/files_out.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/files_out.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
