file(REMOVE_RECURSE
  "../../progs/glibc_state"
  "../../progs/glibc_state.pdb"
  "CMakeFiles/glibc_state.dir/glibc_state.c.o"
  "CMakeFiles/glibc_state.dir/glibc_state.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/glibc_state.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
