# Empty dependencies file for busy_threads.
# This may be replaced when dependencies are built.
