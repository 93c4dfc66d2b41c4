file(REMOVE_RECURSE
  "CMakeFiles/busy_threads.dir/busy_threads.c.o"
  "CMakeFiles/busy_threads.dir/busy_threads.c.o.d"
  "busy_threads"
  "busy_threads.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/busy_threads.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
