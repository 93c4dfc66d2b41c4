# Empty dependencies file for signals.
# This may be replaced when dependencies are built.
