# Empty compiler generated dependencies file for fuzz_image.
# This may be replaced when dependencies are built.
