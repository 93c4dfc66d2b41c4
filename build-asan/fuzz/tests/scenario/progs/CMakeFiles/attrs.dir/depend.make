# Empty dependencies file for attrs.
# This may be replaced when dependencies are built.
