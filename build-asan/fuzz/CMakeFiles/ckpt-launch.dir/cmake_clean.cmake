file(REMOVE_RECURSE
  "CMakeFiles/ckpt-launch.dir/launcher/launch.c.o"
  "CMakeFiles/ckpt-launch.dir/launcher/launch.c.o.d"
  "CMakeFiles/ckpt-launch.dir/launcher/paths.c.o"
  "CMakeFiles/ckpt-launch.dir/launcher/paths.c.o.d"
  "CMakeFiles/ckpt-launch.dir/lib/config.c.o"
  "CMakeFiles/ckpt-launch.dir/lib/config.c.o.d"
  "bin/ckpt-launch"
  "bin/ckpt-launch.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ckpt-launch.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
