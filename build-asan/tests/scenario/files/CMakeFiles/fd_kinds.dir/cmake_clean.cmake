file(REMOVE_RECURSE
  "../../files/fd_kinds"
  "../../files/fd_kinds.pdb"
  "CMakeFiles/fd_kinds.dir/fd_kinds.c.o"
  "CMakeFiles/fd_kinds.dir/fd_kinds.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fd_kinds.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
