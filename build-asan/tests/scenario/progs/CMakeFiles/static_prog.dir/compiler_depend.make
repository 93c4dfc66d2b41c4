# Empty compiler generated dependencies file for static_prog.
# This may be replaced when dependencies are built.
