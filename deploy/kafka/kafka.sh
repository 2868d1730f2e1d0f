#!/usr/bin/env bash
# Runs a real single-node Apache Kafka 4.x broker (KRaft, combined broker+controller) without
# Docker: the jars come from Maven Central once (pom.xml beside this script), then from the cache.
#   kafka.sh start|stop|status
#
# The broker is secured (issue 11): clients reach it only on a SASL_SSL listener with SCRAM-SHA-512,
# every request is checked by the StandardAuthorizer against ACLs (no ACL: denied), and the ACL table
# of libs/messaging/src/security/acl-table.ts is applied after each start by
# libs/messaging/src/security/setup-main.ts (through scripts/kafka-setup.ts) as the `admin` principal.
# On first start, under the data dir (never committed):
#   tls/          a local CA (ca.pem, ca.key) and the broker's certificate signed by it; the SAN holds
#                 IP:127.0.0.1, DNS:localhost and KAFKA_HOST. Reissued from the same CA when KAFKA_HOST
#                 is not in it or it expires within 30 days.
#   credentials/  <principal>.password (32 chars of [A-Za-z0-9_-]) for admin, roster, consent,
#                 disclosure, receipts, broker (SCRAM users, created when the storage is formatted)
#                 and controller (PLAIN, the controller listener's only user).
#
# Env: KAFKA_PORT (9092, the SASL_SSL listener), KAFKA_HOST (127.0.0.1: the address that listener
#      binds and advertises; the controller stays on 127.0.0.1), KAFKA_CONTROLLER_PORT (port+1),
#      KAFKA_PLAINTEXT_PORT (unset: only if set, an extra unauthenticated PLAINTEXT listener on
#      127.0.0.1 that no Silta code uses; its principal ANONYMOUS has no ACLs),
#      KAFKA_CACHE_DIR (<repo>/.cache/kafka), KAFKA_DATA_DIR (<cache>/data-<port>),
#      KAFKA_HEAP (-Xms256m -Xmx512m), KAFKA_START_TIMEOUT (90 s), KAFKA_JVM_OPTS (extra JVM flags).
# On success `start` and `status` print exactly these lines on stdout (progress goes to stderr):
#   KAFKA_BROKERS=<host>:<port>
#   KAFKA_SSL_CA_FILE=<absolute path of the CA's PEM>
#   KAFKA_CREDENTIALS_DIR=<absolute path of the credentials dir>
# `status` exits 3 when no broker answers. A data dir formatted before issue 11 (no credentials) is
# refused: delete it and start again.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=security-properties.sh
source "$HERE/security-properties.sh"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
HOST="${KAFKA_HOST:-127.0.0.1}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
PLAINTEXT_PORT="${KAFKA_PLAINTEXT_PORT:-}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka}"
DATA_DIR="$(realpath -m "${KAFKA_DATA_DIR:-$CACHE_DIR/data-$PORT}")"
read -ra HEAP <<<"${KAFKA_HEAP:--Xms256m -Xmx512m}"
read -ra EXTRA_OPTS <<<"${KAFKA_JVM_OPTS:-}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="$CACHE_DIR/lib-$VERSION"
STAMP="$LIB/.complete"          # written last: a half-finished fetch has none and is redone
LOGS="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/kafka.pid"
PROPS="$DATA_DIR/server.properties"
TLS_DIR="$DATA_DIR/tls"
CA_PEM="$TLS_DIR/ca.pem"
CA_KEY="$TLS_DIR/ca.key"
BROKER_PEM="$TLS_DIR/broker.pem"
BROKER_KEY="$TLS_DIR/broker.key"
KEYSTORE="$TLS_DIR/broker-keystore.pem"   # the broker's key, certificate and CA in one PEM file
CRED_DIR="$DATA_DIR/credentials"
META="$DATA_DIR/kraft-logs/meta.properties"
SETUP_STAMP="$DATA_DIR/security-setup.sha256"
# SCRAM users created when the storage is formatted: admin tooling, the four services, the node itself.
SCRAM_PRINCIPALS=(admin roster consent disclosure receipts broker)
# The controller listener's only user (PLAIN over SASL_PLAINTEXT on 127.0.0.1); a super user.
CONTROLLER_PRINCIPAL=controller
# Passwords: ConfigCommand splits on commas without escaping, JAAS quotes with ": keep to this alphabet.
PASSWORD_RE='^[A-Za-z0-9_-]{32}$'

say() { echo "kafka[$PORT]: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }   # host port
# The pid from the pid file, if that process is alive and still our broker (pids get reused).
live_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid cmd; pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *" kafka.Kafka "* ]] && echo "$pid"
}
JAVA_ARGS=("${HEAP[@]}" "${EXTRA_OPTS[@]}" -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$LOGS" -cp "$LIB/*")

check_env() {
  [[ "$PORT" =~ ^[0-9]+$ && "$CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must be port numbers"
  # An IPv4 address or a host name: it goes into listener URLs and the certificate's SAN unquoted.
  [[ "$HOST" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "KAFKA_HOST must be an IPv4 address or a host name, got '$HOST'"
  if [[ -n "$PLAINTEXT_PORT" ]]; then
    [[ "$PLAINTEXT_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PLAINTEXT_PORT must be a port number, got '$PLAINTEXT_PORT'"
    [[ "$PLAINTEXT_PORT" != "$PORT" && "$PLAINTEXT_PORT" != "$CONTROLLER_PORT" ]] || die "KAFKA_PLAINTEXT_PORT must differ from the other ports"
  fi
}

is_ipv4() { [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; }

fetch_jars() {
  # Key the stamp on the pom's content so an edited pom (e.g. another log4j) refetches.
  local want; want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] && return 0
  mkdir -p "$CACHE_DIR"
  [[ -f "$CACHE_DIR/.gitignore" ]] || echo '*' >"$CACHE_DIR/.gitignore"   # never committed
  exec 9>"$CACHE_DIR/.fetch.lock"; flock 9   # two brokers starting at once fetch only once
  if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
    say "fetching Kafka $VERSION jars with Maven into $LIB (once)"
    rm -rf "$LIB" "$LIB.tmp"
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$LIB.tmp" >"$CACHE_DIR/fetch.log" 2>&1 ||
      { tail -n 30 "$CACHE_DIR/fetch.log" >&2; die "mvn could not fetch the Kafka jars"; }
    mv "$LIB.tmp" "$LIB"
    echo "$want" >"$STAMP"
  fi
  exec 9>&-
}

# 32 characters of [A-Za-z0-9_-] from 48 random bytes (base64url of uniform bytes is uniform).
gen_password() { openssl rand -base64 48 | tr -d '\n=' | tr '+/' '-_' | cut -c1-32; }

password_of() { cat "$CRED_DIR/$1.password"; }

# Creates the missing password files before the storage is formatted; refuses a formatted data dir
# that lacks them (a plaintext one from before issue 11, or one whose credentials were deleted).
ensure_credentials() { # $1 = "formatted" or ""
  local formatted="$1" p f
  if [[ -n "$formatted" && ! -d "$CRED_DIR" ]]; then
    die "$DATA_DIR was formatted without credentials: it is a plaintext data dir from before the
  broker was secured (or its credentials/ dir was deleted). Refusing to start it insecure.
  Delete the data dir and start again (its topics are lost):  rm -rf '$DATA_DIR'"
  fi
  (umask 077; mkdir -p "$CRED_DIR")
  chmod 700 "$CRED_DIR"
  for p in "${SCRAM_PRINCIPALS[@]}" "$CONTROLLER_PRINCIPAL"; do
    f="$CRED_DIR/$p.password"
    if [[ ! -f "$f" ]]; then
      [[ -z "$formatted" ]] || die "$f is missing but the storage in $DATA_DIR is already formatted, so the
  user '$p' cannot be created with a new password now. Delete the data dir and start again:  rm -rf '$DATA_DIR'"
      (umask 077; gen_password >"$f.tmp" && mv "$f.tmp" "$f")
    fi
    chmod 600 "$f"
    [[ "$(cat "$f")" =~ $PASSWORD_RE ]] || die "$f does not hold a 32-character [A-Za-z0-9_-] password"
  done
}

# The broker certificate's SAN: 127.0.0.1, localhost and the listen address.
san_wanted() {
  local san="IP:127.0.0.1,DNS:localhost"
  if [[ "$HOST" != 127.0.0.1 && "$HOST" != localhost ]]; then
    if is_ipv4 "$HOST"; then san+=",IP:$HOST"; else san+=",DNS:$HOST"; fi
  fi
  echo "$san"
}

# Why the broker certificate must be (re)issued, or nothing when it is fine.
broker_cert_problem() {
  [[ -f "$BROKER_PEM" && -f "$BROKER_KEY" ]] || { echo "none yet"; return; }
  openssl verify -CAfile "$CA_PEM" "$BROKER_PEM" >/dev/null 2>&1 || { echo "not signed by the CA in $CA_PEM"; return; }
  openssl x509 -in "$BROKER_PEM" -noout -checkend $((30 * 24 * 3600)) >/dev/null || { echo "expires within 30 days"; return; }
  local have; have="$(openssl x509 -in "$BROKER_PEM" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ')"
  local entry
  for entry in $(san_wanted | tr ',' ' '); do
    entry="${entry/IP:/IPAddress:}"
    [[ ",$have," == *",$entry,"* ]] || { echo "its SAN ($have) lacks ${entry/IPAddress:/IP:}"; return; }
  done
}

ensure_tls() {
  (umask 077; mkdir -p "$TLS_DIR")
  chmod 700 "$TLS_DIR"
  if [[ ! -f "$CA_PEM" || ! -f "$CA_KEY" ]]; then
    say "creating a local CA in $TLS_DIR"
    (umask 077
     openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CA_KEY.tmp" 2>/dev/null
     openssl req -x509 -new -key "$CA_KEY.tmp" -sha256 -days 3650 -out "$CA_PEM.tmp" \
       -subj "/O=Silta local/CN=Silta local Kafka CA $(date -u +%Y%m%dT%H%M%SZ)" \
       -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign")
    mv "$CA_KEY.tmp" "$CA_KEY"; mv "$CA_PEM.tmp" "$CA_PEM"
    chmod 644 "$CA_PEM"; rm -f "$BROKER_PEM"   # a new CA: the broker certificate is reissued below
  fi
  local why; why="$(broker_cert_problem)"
  if [[ -n "$why" ]]; then
    say "issuing the broker certificate for $(san_wanted) ($why)"
    local ext="$TLS_DIR/broker.ext"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$(san_wanted)" >"$ext"
    (umask 077
     openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$BROKER_KEY.tmp" 2>/dev/null
     openssl req -new -key "$BROKER_KEY.tmp" -subj "/O=Silta local/CN=$HOST" -out "$TLS_DIR/broker.csr"
     openssl x509 -req -in "$TLS_DIR/broker.csr" -CA "$CA_PEM" -CAkey "$CA_KEY" -CAcreateserial \
       -CAserial "$TLS_DIR/ca.srl" -sha256 -days 397 -extfile "$ext" -out "$BROKER_PEM.tmp" 2>/dev/null)
    rm -f "$TLS_DIR/broker.csr" "$ext"
    mv "$BROKER_KEY.tmp" "$BROKER_KEY"; mv "$BROKER_PEM.tmp" "$BROKER_PEM"
  fi
  # Kafka's PEM key store: the (PKCS#8, unencrypted, 0600) key, then the certificate chain.
  (umask 077; cat "$BROKER_KEY" "$BROKER_PEM" "$CA_PEM" >"$KEYSTORE.tmp" && mv "$KEYSTORE.tmp" "$KEYSTORE")
}

# server.properties holds the node's own passwords (JAAS): 0600, rewritten on every start.
write_props() {
  local broker_pw controller_pw listeners advertised protocols
  broker_pw="$(password_of broker)"; controller_pw="$(password_of "$CONTROLLER_PRINCIPAL")"
  listeners="CLIENT://$HOST:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
  advertised="CLIENT://$HOST:$PORT"
  protocols="CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT"
  if [[ -n "$PLAINTEXT_PORT" ]]; then
    listeners+=",PLAINTEXT://127.0.0.1:$PLAINTEXT_PORT"; advertised+=",PLAINTEXT://127.0.0.1:$PLAINTEXT_PORT"
    protocols+=",PLAINTEXT:PLAINTEXT"
  fi
  (umask 077; cat >"$PROPS.tmp" <<EOF
# Generated by deploy/kafka/kafka.sh on every start; edits are overwritten. Holds passwords: 0600.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=$protocols

$(security_properties "$KEYSTORE" "$CA_PEM" "$broker_pw" "$CONTROLLER_PRINCIPAL" "$controller_pw")

log.dirs=$DATA_DIR/kraft-logs
num.partitions=1
auto.create.topics.enable=true
# One node: every internal topic must live with a single replica, or consumers loop on
# "group coordinator not available" and transactions never initialise.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# 1 partition, not 50: a fresh broker serves its first consumer group in ~1 s instead of ~3.5 s.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
# Tests: a lone consumer joins at once instead of waiting 3 s for others.
group.initial.rebalance.delay.ms=0
EOF
  mv "$PROPS.tmp" "$PROPS")
}

format_storage() {
  say "formatting storage in $DATA_DIR/kraft-logs with SCRAM users ${SCRAM_PRINCIPALS[*]}"
  local id p args=()
  id="$(java "${JAVA_ARGS[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOGS/format.log" | tail -n 1)"
  # --add-scram counts only now, on unformatted storage (later users need ConfigCommand).
  for p in "${SCRAM_PRINCIPALS[@]}"; do args+=(--add-scram "SCRAM-SHA-512=[name=$p,password=$(password_of "$p")]"); done
  java "${JAVA_ARGS[@]}" kafka.tools.StorageTool format -t "$id" -c "$PROPS" "${args[@]}" >>"$LOGS/format.log" 2>&1 ||
    { tail -n 20 "$LOGS/format.log" >&2; die "storage format failed"; }
}

wait_ready() { # $1 = pid
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$1" 2>/dev/null; then
      say "broker process $1 exited during start-up; last log lines:"
      tail -n 40 "$LOGS/server.log" "$LOGS/kafka.out" >&2 2>/dev/null || true
      rm -f "$PID_FILE"; exit 1
    fi
    grep -q 'Kafka Server started' "$LOGS/server.log" 2>/dev/null && port_open "$(running_host)" "$PORT" && return 0
    sleep 0.5
  done
  say "not ready after ${START_TIMEOUT}s (pid $1 left running; use stop); last log lines:"
  tail -n 40 "$LOGS/server.log" "$LOGS/kafka.out" >&2 2>/dev/null || true
  exit 1
}

# The host the running broker advertises (from its properties), which may differ from this call's KAFKA_HOST.
running_host() {
  local h; h="$(sed -n 's|^advertised.listeners=CLIENT://\([^:,]*\):.*|\1|p' "$PROPS" 2>/dev/null)"
  echo "${h:-$HOST}"
}

print_env() {
  echo "KAFKA_BROKERS=$(running_host):$PORT"
  echo "KAFKA_SSL_CA_FILE=$CA_PEM"
  echo "KAFKA_CREDENTIALS_DIR=$CRED_DIR"
}

# What the ACL set-up depends on: when it changed since the last successful run, it runs again.
setup_digest() {
  { cat "$REPO_ROOT"/libs/messaging/src/security/*.ts "$REPO_ROOT/libs/contracts/src/topics.ts" "$REPO_ROOT/scripts/kafka-setup.ts" \
    2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}

# Creates Silta's topics and applies the ACL table, as admin (idempotent).
apply_security() {
  local digest; digest="$(setup_digest)"
  command -v node >/dev/null || die "node not found: the broker is up but its ACLs and topics are not set up (run start again)"
  say "applying the ACL table and creating Silta's topics (as admin)"
  if ! (cd "$REPO_ROOT" && KAFKA_BROKERS="$(running_host):$PORT" KAFKA_USERNAME=admin KAFKA_PASSWORD_FILE="$CRED_DIR/admin.password" \
    KAFKA_SSL_CA_FILE="$CA_PEM" KAFKA_PASSWORD='' SWC_NODE_PROJECT="$REPO_ROOT/tsconfig.json" \
    node -r @swc-node/register scripts/kafka-setup.ts >&2); then
    rm -f "$SETUP_STAMP"
    die "the ACL set-up failed; the broker is up (services are denied everything until it succeeds): run start again"
  fi
  echo "$digest" >"$SETUP_STAMP"
}

warn_plaintext() {
  local line="WARNING: KAFKA_PLAINTEXT_PORT=$PLAINTEXT_PORT opens an UNAUTHENTICATED, UNENCRYPTED PLAINTEXT listener on 127.0.0.1:$PLAINTEXT_PORT (principal User:ANONYMOUS, no ACLs). Nothing in Silta uses it; unset it unless you know why you need it."
  say "!!!!!!!!"; say "$line"; say "!!!!!!!!"
  echo "[$(date -u '+%Y-%m-%d %H:%M:%S,000')] WARN kafka.sh: $line (kafka.sh)" >>"$LOGS/server.log"
}

start() {
  local pid formatted=""
  check_env
  if pid="$(live_pid)"; then
    if ! port_open "$(running_host)" "$PORT"; then say "pid $pid is starting; waiting"; wait_ready "$pid"; fi
    say "already running (pid $pid)"
    [[ "$(running_host)" == "$HOST" ]] || say "note: it listens on $(running_host), not KAFKA_HOST=$HOST; stop it to change that"
    [[ -f "$SETUP_STAMP" && "$(cat "$SETUP_STAMP")" == "$(setup_digest)" ]] || apply_security
    print_env; return 0
  fi
  for p in "$PORT" "$CONTROLLER_PORT" $PLAINTEXT_PORT; do port_open 127.0.0.1 "$p" && die "port $p is taken by another process"; done
  port_open "$HOST" "$PORT" && die "$HOST:$PORT is taken by another process"
  command -v java >/dev/null || die "java (17+) not found"
  command -v openssl >/dev/null || die "openssl not found (it creates the broker's TLS files)"
  fetch_jars
  (umask 077; mkdir -p "$DATA_DIR" "$LOGS")
  [[ -f "$META" ]] && formatted=yes
  ensure_credentials "$formatted"
  ensure_tls
  write_props
  [[ -n "$formatted" ]] || format_storage
  # A fresh log per start, so the readiness check cannot match an earlier run's lines.
  for f in server.log kafka.out authorizer.log; do [[ -f "$LOGS/$f" ]] && mv -f "$LOGS/$f" "$LOGS/$f.prev"; done
  [[ -z "$PLAINTEXT_PORT" ]] || warn_plaintext
  rm -f "$SETUP_STAMP"
  say "starting Kafka $VERSION: SASL_SSL on $HOST:$PORT, controller on 127.0.0.1:$CONTROLLER_PORT, data $DATA_DIR"
  # The JVM works in the data dir so nothing lands where the caller stands; `cd` is a command of
  # its own so that $! is the JVM itself (nohup execs java), not a subshell.
  (cd "$DATA_DIR"; nohup java "${JAVA_ARGS[@]}" kafka.Kafka "$PROPS" \
    </dev/null >"$LOGS/kafka.out" 2>&1 & echo $! >"$PID_FILE")
  pid="$(cat "$PID_FILE")"
  wait_ready "$pid"
  say "started (pid $pid) in ${SECONDS}s"
  apply_security
  say "ready in ${SECONDS}s; authorizer denials are logged to $LOGS/authorizer.log"
  print_env
}

stop() {
  local pid
  if ! pid="$(live_pid)"; then say "not running"; rm -f "$PID_FILE"; return 0; fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "still alive after 30s; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PID_FILE"; say "stopped"
}

status() {
  local pid
  if ! pid="$(live_pid)"; then say "not running"; return 3; fi
  if ! port_open "$(running_host)" "$PORT"; then say "pid $pid alive but $(running_host):$PORT not answering (starting?)"; return 3; fi
  say "running (pid $pid)"
  [[ -f "$SETUP_STAMP" ]] || say "warning: the ACL set-up has not succeeded since this broker started (run start)"
  print_env
}

case "${1:-}" in
  start) start ;; stop) stop ;; status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
