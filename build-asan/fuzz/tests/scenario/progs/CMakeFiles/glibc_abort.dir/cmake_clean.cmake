file(REMOVE_RECURSE
  "../../progs/glibc_abort"
  "../../progs/glibc_abort.pdb"
  "CMakeFiles/glibc_abort.dir/glibc_abort.c.o"
  "CMakeFiles/glibc_abort.dir/glibc_abort.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/glibc_abort.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
