# Empty compiler generated dependencies file for scenario.
# This may be replaced when dependencies are built.
