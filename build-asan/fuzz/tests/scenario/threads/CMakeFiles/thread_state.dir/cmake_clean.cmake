file(REMOVE_RECURSE
  "../../threads/thread_state"
  "../../threads/thread_state.pdb"
  "CMakeFiles/thread_state.dir/thread_state.c.o"
  "CMakeFiles/thread_state.dir/thread_state.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/thread_state.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
