# Empty compiler generated dependencies file for sleeps.
# This may be replaced when dependencies are built.
