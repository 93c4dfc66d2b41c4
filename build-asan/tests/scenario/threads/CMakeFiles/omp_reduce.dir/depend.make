# Empty dependencies file for omp_reduce.
# This may be replaced when dependencies are built.
