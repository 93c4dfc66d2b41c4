# Empty dependencies file for sparse.
# This may be replaced when dependencies are built.
