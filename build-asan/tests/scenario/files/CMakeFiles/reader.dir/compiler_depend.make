# Empty compiler generated dependencies file for reader.
# This may be replaced when dependencies are built.
