file(REMOVE_RECURSE
  "CMakeFiles/compute.dir/compute.c.o"
  "CMakeFiles/compute.dir/compute.c.o.d"
  "compute"
  "compute.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/compute.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
