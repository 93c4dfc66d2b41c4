# Empty compiler generated dependencies file for bigmem.
# This may be replaced when dependencies are built.
