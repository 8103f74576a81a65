#!/usr/bin/env bash
# Starts Auth Lab from this folder with the settings of authlab.env; a
# variable already set in the environment wins over the file.
set -euo pipefail
cd "$(dirname "$0")"
while IFS='=' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -z "${!name:-}" ]] && export "$name=$value"
done < authlab.env
exec ./authlab "$@"
