file(REMOVE_RECURSE
  "../../progs/ckpt_signal_abuse"
  "../../progs/ckpt_signal_abuse.pdb"
  "CMakeFiles/ckpt_signal_abuse.dir/ckpt_signal_abuse.c.o"
  "CMakeFiles/ckpt_signal_abuse.dir/ckpt_signal_abuse.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ckpt_signal_abuse.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
