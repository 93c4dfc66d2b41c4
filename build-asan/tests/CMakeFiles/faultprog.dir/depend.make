# Empty dependencies file for faultprog.
# This may be replaced when dependencies are built.
