#!/bin/sh
# Secrets program for AETHERFLOW_SECRETS_PATH.
#
#   decode.sh decode       stdin: the encoded value; stdout: the decoded value; exit 0
#   decode.sh expand-env   stdin: the environment snapshot as a JSON object; stdout: the new
#                          snapshot as a JSON object of strings. Not implemented here: exit 64
#                          tells AetherFlow to keep the snapshot unchanged.
#
# Anything else on stderr is for diagnostics; never print secrets there.
set -eu
case "${1:-}" in
  decode)
    base64 -d
    ;;
  expand-env)
    exit 64
    ;;
  *)
    echo "usage: decode.sh decode|expand-env" >&2
    exit 64
    ;;
esac
