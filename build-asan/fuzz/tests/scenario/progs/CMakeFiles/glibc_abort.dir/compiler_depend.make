# Empty compiler generated dependencies file for glibc_abort.
# This may be replaced when dependencies are built.
