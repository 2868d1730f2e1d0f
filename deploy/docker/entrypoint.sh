#!/bin/sh
# The apps' image entry point: a secret mounted as a file (compose secrets, or any secret store)
# named by <NAME>_FILE is read into <NAME>, for the settings the apps take only as values (the web
# app's WEB_SESSION_KEY among them). Then the
# command runs in this process's place, so signals reach it. KAFKA_PASSWORD_FILE the apps read themselves.
set -eu
for name in DATABASE_URL INTERNAL_TOKEN_SECRET AUDIT_SIGNING_KEY PEER_AUDIT_KEY WEB_SESSION_KEY; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  eval "given=\${${name}:-}"
  if [ -n "$given" ]; then echo "entrypoint: set $name or ${name}_FILE, not both" >&2; exit 1; fi
  if ! value="$(cat "$file")"; then echo "entrypoint: cannot read ${name}_FILE ($file)" >&2; exit 1; fi
  export "$name=$value"
  unset "${name}_FILE"
done
exec "$@"
