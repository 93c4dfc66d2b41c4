#!/bin/sh
# make_input.sh LINES: a deterministic, unsorted text file input.txt for the
# real-program scenarios.
seq 1 "$1" | awk '{ print ($1 * 7919) % 1000003, $1 }' > input.txt
