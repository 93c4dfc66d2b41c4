# Empty compiler generated dependencies file for compute.
# This may be replaced when dependencies are built.
