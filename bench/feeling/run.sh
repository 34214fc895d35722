#!/usr/bin/env bash
# Feelings read from the text against the feelings the rows carry (stars,
# « Ressenti usager », allociné labels): writes bench/feeling/RESULTS.md.
# usage: bench/feeling/run.sh [VOIX] [SHARED_DATA]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
voix=${1:-$here/../../build/voix}
data=${2:-$here/../../../shared/data}
if [ ! -d "$data/google-reviews-pole-emploi" ]; then
	echo "bench/feeling: $data not found, nothing measured" >&2
	exit 0
fi
python3 "$here/evaluate.py" "$voix" "$data" > "$here/RESULTS.md"
echo "bench/feeling: $here/RESULTS.md"
