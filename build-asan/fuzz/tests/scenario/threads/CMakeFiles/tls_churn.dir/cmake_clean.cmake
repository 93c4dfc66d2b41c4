file(REMOVE_RECURSE
  "../../threads/tls_churn"
  "../../threads/tls_churn.pdb"
  "CMakeFiles/tls_churn.dir/tls_churn.c.o"
  "CMakeFiles/tls_churn.dir/tls_churn.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/tls_churn.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
