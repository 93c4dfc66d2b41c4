file(REMOVE_RECURSE
  "../../bin/unit_tests"
  "../../bin/unit_tests.pdb"
  "CMakeFiles/unit_tests.dir/__/__/lib/config.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/config.c.o.d"
  "CMakeFiles/unit_tests.dir/__/__/lib/fault.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/fault.c.o.d"
  "CMakeFiles/unit_tests.dir/__/__/lib/image.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/image.c.o.d"
  "CMakeFiles/unit_tests.dir/__/__/lib/procfs.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/procfs.c.o.d"
  "CMakeFiles/unit_tests.dir/__/__/lib/str.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/str.c.o.d"
  "CMakeFiles/unit_tests.dir/__/__/lib/trust.c.o"
  "CMakeFiles/unit_tests.dir/__/__/lib/trust.c.o.d"
  "CMakeFiles/unit_tests.dir/main.c.o"
  "CMakeFiles/unit_tests.dir/main.c.o.d"
  "CMakeFiles/unit_tests.dir/test_config.c.o"
  "CMakeFiles/unit_tests.dir/test_config.c.o.d"
  "CMakeFiles/unit_tests.dir/test_image.c.o"
  "CMakeFiles/unit_tests.dir/test_image.c.o.d"
  "CMakeFiles/unit_tests.dir/test_procfs.c.o"
  "CMakeFiles/unit_tests.dir/test_procfs.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/unit_tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
