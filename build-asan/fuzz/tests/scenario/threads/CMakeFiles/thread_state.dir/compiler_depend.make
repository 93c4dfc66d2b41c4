# Empty compiler generated dependencies file for thread_state.
# This may be replaced when dependencies are built.
