#!/usr/bin/env bash
# test.sh runs every test of every Go module of the repository: the root
# module and each nested module (found by its go.mod, see .ci/modules).
# Arguments go to `go test`, as in `./test.sh -race` or `./test.sh -run Money`.
# It tests every module even when one fails, and exits non-zero if any did.
set -euo pipefail
cd "$(dirname "$0")"
status=0
while IFS= read -r dir; do
	echo "== ${dir}: go test $* ./..."
	(cd "${dir}" && go test "$@" ./...) || status=1
done < <(.ci/modules)
exit "${status}"
