# Empty dependencies file for files_out.
# This may be replaced when dependencies are built.
