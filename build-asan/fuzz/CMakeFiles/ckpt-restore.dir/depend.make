# Empty dependencies file for ckpt-restore.
# This may be replaced when dependencies are built.
