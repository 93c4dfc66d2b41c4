# Empty dependencies file for fd_kinds.
# This may be replaced when dependencies are built.
