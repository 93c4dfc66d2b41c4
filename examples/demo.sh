#!/bin/sh
# The main job, visibly: run examples/compute with a checkpoint every half
# second, kill it with SIGKILL, resume it from its image, and watch it go on
# from the round of its last checkpoint to the same result as a run that was
# never interrupted.
#
#   examples/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
dir=$(mktemp -d)
image=$dir/compute.ckpt

"$build/bin/ckpt-launch" --period 0.5 --verbose --file "$image" \
	"$build/examples/compute" 3000 &
pid=$!
sleep 3
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
echo "=== killed pid $pid with SIGKILL; resuming from $image"
"$build/bin/ckpt-resume" "$image"
echo "=== for comparison, a run that was never interrupted:"
"$build/examples/compute" 3000 2>/dev/null
rm -rf "$dir"
