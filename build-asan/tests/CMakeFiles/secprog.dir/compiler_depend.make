# Empty compiler generated dependencies file for secprog.
# This may be replaced when dependencies are built.
