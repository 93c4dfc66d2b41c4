# Empty compiler generated dependencies file for ckpt.
# This may be replaced when dependencies are built.
