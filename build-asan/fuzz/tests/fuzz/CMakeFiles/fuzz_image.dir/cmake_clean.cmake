file(REMOVE_RECURSE
  "CMakeFiles/fuzz_image.dir/__/__/launcher/verify.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/launcher/verify.c.o.d"
  "CMakeFiles/fuzz_image.dir/__/__/lib/fault.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/lib/fault.c.o.d"
  "CMakeFiles/fuzz_image.dir/__/__/lib/image.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/lib/image.c.o.d"
  "CMakeFiles/fuzz_image.dir/__/__/lib/procfs.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/lib/procfs.c.o.d"
  "CMakeFiles/fuzz_image.dir/__/__/lib/str.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/lib/str.c.o.d"
  "CMakeFiles/fuzz_image.dir/__/__/lib/trust.c.o"
  "CMakeFiles/fuzz_image.dir/__/__/lib/trust.c.o.d"
  "CMakeFiles/fuzz_image.dir/fuzz_image.c.o"
  "CMakeFiles/fuzz_image.dir/fuzz_image.c.o.d"
  "fuzz_image"
  "fuzz_image.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_image.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
