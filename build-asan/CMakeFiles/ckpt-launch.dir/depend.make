# Empty dependencies file for ckpt-launch.
# This may be replaced when dependencies are built.
