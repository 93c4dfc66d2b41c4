# Empty dependencies file for prodcons.
# This may be replaced when dependencies are built.
