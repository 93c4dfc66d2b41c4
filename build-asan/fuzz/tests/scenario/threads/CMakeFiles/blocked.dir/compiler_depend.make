# Empty compiler generated dependencies file for blocked.
# This may be replaced when dependencies are built.
