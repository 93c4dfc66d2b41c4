# Empty dependencies file for soak_prog.
# This may be replaced when dependencies are built.
