#!/usr/bin/env bash
# Crash consistency of batched creates (issue 15): famfs cp -a sends its
# creates as BATCH control requests, which the server logs with one tail
# publish per batch (group commit).  The rounds of crash_cpa.sh in its
# batch mode (CPA_BATCH=1): each stopped copy uses batches of 1..16
# records, so the fault hook (a cut inside an entry, the zeroed window
# after the batch, its one tail record, a heal), kill -9 of the server and
# kill -9 of the cp land inside batches, between them and in their
# publish.  After each stop: only whole entries survive (every entry
# present is the source's, field by field), fsck is clean or reports only
# a torn tail that --repair removes, a client lists exactly what the
# master does, and the restart finishes the copy exactly.
#
#   BATCH_STOPS=1000 tests/reliability/crash_batch.sh   the full run
#   BATCH_SEED=N     replay a run (printed at the start)
# Ends with "crash_batch: N passed, N failed" (rounds).
set -u
here=$(cd "$(dirname "$0")" && pwd)
export CPA_BATCH=1 CPA_STOPS=${BATCH_STOPS:-20}
[ -n "${BATCH_SEED:-}" ] && export CPA_SEED=$BATCH_SEED
set -o pipefail
"$here/crash_cpa.sh" 2>&1 | sed -u 's/^crash_cpa\([:,]\)/crash_batch\1/'
