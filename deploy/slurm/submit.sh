#!/usr/bin/env bash
# Submits a sharded `zebra simulate` (or `zebra trial-sim`) run to Slurm: a job array of N shards,
# then a merge job that starts when every shard has succeeded.
#
#   deploy/slurm/submit.sh --shards 4 --out /scratch/fabry [--wait] -- --disease fabry --patients 1000000 --seed 7
#   deploy/slurm/submit.sh --command trial-sim --shards 16 --out /scratch/oc -- --trial fabry-egfr-slope.json \
#     --effect 1.5 --replicates 10000 --pools 16
#
# Writes /scratch/fabry/shard-1 … shard-N and /scratch/fabry/merged (identical to one process's
# output for the same simulate options). ZEBRA names the binary (default: zebra on PATH).
# --wait returns when the merge job has ended, with its exit status. Extra sbatch options (a
# partition, an account, a time limit) go in SBATCH_* environment variables, as sbatch reads them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards="" out="" wait=no command=simulate
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2;;
    --out) out=$2; shift 2;;
    --wait) wait=yes; shift;;
    --command) command=$2; shift 2;;
    --) shift; break;;
    *) echo "submit.sh: unknown option $1 (the command's options go after --)" >&2; exit 2;;
  esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: give --shards N (N ≥ 1)" >&2; exit 2; }
[ -n "$out" ] || { echo "submit.sh: give --out DIR" >&2; exit 2; }
case "$command" in simulate|trial-sim) ;; *) echo "submit.sh: --command is simulate or trial-sim" >&2; exit 2;; esac
for a in "$@"; do
  case "$a" in --shard|--out) echo "submit.sh: $a is set per shard; leave it out" >&2; exit 2;; esac
done
ZEBRA=$(command -v "${ZEBRA:-zebra}") || { echo "submit.sh: no zebra binary (set ZEBRA)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
export ZEBRA ZEBRA_OUT="$out" ZEBRA_SHARDS="$shards" ZEBRA_COMMAND="$command"
array=$(sbatch --parsable --chdir="$out" --array="1-$shards" "$here/shard.sbatch" "$@")
array=${array%%;*}
flags=(--parsable --chdir="$out" --dependency="afterok:$array" --kill-on-invalid-dep=yes)
[ "$wait" = yes ] && flags+=(--wait)
echo "submitted shards: job array $array (1-$shards); merge after all succeed → $out/merged"
merge=$(sbatch "${flags[@]}" "$here/merge.sbatch")
echo "merge job: ${merge%%;*}"
