#!/usr/bin/env bash
# Runs an aetherflow command on this example with its env file, profiles and secrets program.
#   examples/env-profiles/run.sh run|validate|doctor|explain [more options]
# AETHERFLOW overrides the launcher (default: bin/aetherflow of the repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
af="${AETHERFLOW:-$repo/bin/aetherflow}"
cmd="${1:-run}"
[ "$#" -gt 0 ] && shift

export AETHERFLOW_ENV_FILES_JSON="[{\"type\": \"dotenv\", \"path\": \"$here/app.env\"}]"
export AETHERFLOW_PROFILES_FILE="$here/profiles.yaml"
export AETHERFLOW_SECRETS_PATH="$here/decode.sh"

exec "$af" "$cmd" --flow-yaml "$here/flow.yaml" "$@"
