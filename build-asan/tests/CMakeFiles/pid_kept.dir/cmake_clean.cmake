file(REMOVE_RECURSE
  "CMakeFiles/pid_kept.dir/scenario/pid_kept.c.o"
  "CMakeFiles/pid_kept.dir/scenario/pid_kept.c.o.d"
  "pid_kept"
  "pid_kept.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/pid_kept.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
