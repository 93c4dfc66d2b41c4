file(REMOVE_RECURSE
  "../../progs/signals"
  "../../progs/signals.pdb"
  "CMakeFiles/signals.dir/signals.c.o"
  "CMakeFiles/signals.dir/signals.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/signals.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
