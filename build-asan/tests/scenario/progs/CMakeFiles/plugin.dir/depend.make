# Empty dependencies file for plugin.
# This may be replaced when dependencies are built.
