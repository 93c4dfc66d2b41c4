file(REMOVE_RECURSE
  "../../progs/stress_alloc"
  "../../progs/stress_alloc.pdb"
  "CMakeFiles/stress_alloc.dir/stress_alloc.c.o"
  "CMakeFiles/stress_alloc.dir/stress_alloc.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/stress_alloc.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
