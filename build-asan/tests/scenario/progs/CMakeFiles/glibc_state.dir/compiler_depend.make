# Empty compiler generated dependencies file for glibc_state.
# This may be replaced when dependencies are built.
