# Empty dependencies file for ckpt_signal_abuse.
# This may be replaced when dependencies are built.
