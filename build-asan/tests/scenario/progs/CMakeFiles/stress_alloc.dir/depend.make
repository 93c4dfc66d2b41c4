# Empty dependencies file for stress_alloc.
# This may be replaced when dependencies are built.
