# Empty compiler generated dependencies file for pid_kept.
# This may be replaced when dependencies are built.
