# Empty dependencies file for ckpt-resume.
# This may be replaced when dependencies are built.
