#!/usr/bin/env bash
# Runs a sweep as a Slurm job array: task K of N scores shard K/N into $OUT/shard-K; a dependent job merges them.
# usage: deploy/slurm-array.sh SPEC OUT_DIR [SHARDS]      (submit from the project folder, after `npm ci`)
# The project folder and OUT_DIR must be on storage every node sees.
set -euo pipefail
SPEC=$(realpath "$1"); OUT=$(realpath -m "$2"); N=${3:-8}
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
ARRAY=$(sbatch --parsable --job-name=recsweep-shards --array=0-$((N - 1)) --output="$OUT/shard-%a.log" \
  --wrap="node '$PROJECT/bin/recsweep.js' run '$SPEC' --shard \$SLURM_ARRAY_TASK_ID/$N --out \"$OUT/shard-\$SLURM_ARRAY_TASK_ID\" --quiet")
MERGE=$(sbatch --parsable --job-name=recsweep-merge --dependency=afterok:$ARRAY --output="$OUT/merge.log" \
  --wrap="node '$PROJECT/bin/recsweep.js' merge $(for k in $(seq 0 $((N - 1))); do printf "'%s' " "$OUT/shard-$k"; done) --out '$OUT/merged'")
echo "submitted shards as job $ARRAY (array 0-$((N - 1))) and the merge as job $MERGE; results in $OUT/merged"
