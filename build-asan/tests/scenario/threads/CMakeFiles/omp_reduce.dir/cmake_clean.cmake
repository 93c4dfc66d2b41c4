file(REMOVE_RECURSE
  "../../threads/omp_reduce"
  "../../threads/omp_reduce.pdb"
  "CMakeFiles/omp_reduce.dir/omp_reduce.c.o"
  "CMakeFiles/omp_reduce.dir/omp_reduce.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/omp_reduce.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
