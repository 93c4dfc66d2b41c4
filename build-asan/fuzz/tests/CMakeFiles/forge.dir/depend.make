# Empty dependencies file for forge.
# This may be replaced when dependencies are built.
