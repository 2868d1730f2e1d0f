#!/usr/bin/env bash
# Runs a real Apache Kafka 4.x broker without Docker: one node (the default) or a local cluster of
# three (KAFKA_NODES=3), each node KRaft with broker and controller in one process. The jars come
# from Maven Central once (pom.xml beside this script), then from the cache.
#   kafka.sh start|stop|status|nodes|kill-node <N>
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
# Three nodes (issue 16), KAFKA_NODES=3: node N (1..3) has node.id N, its SASL_SSL listener on
# KAFKA_HOST:KAFKA_PORT+2(N-1) and its controller listener on 127.0.0.1:KAFKA_PORT+2(N-1)+1; all
# three are voters of one quorum. The data dir (default <cache>/cluster-<port>) holds one tls/ and
# one credentials/ for all nodes (one broker certificate serves them all), cluster.id, and node-N/
# with each node's kraft-logs/, logs/, server.properties and kafka.pid. Topics get replication
# factor 3 and min.insync.replicas 2 (internal topics too). A single node's data dir and a cluster's
# never mix: each refuses the other's. Security is the same as the single node's (security-properties.sh).
#
# Sub-commands:
#   start      starts every node that is not running, launched together (a quorum of three needs two
#              voters to elect a leader), waits until each reports started, then applies the ACL set-up
#              (which waits for every partition of Silta's topics to have a serving leader). On a
#              running cluster it starts only the missing nodes: this is how a test brings back a
#              node it killed. Prints "already running" on stderr only when every node was running.
#   stop       stops every node (SIGTERM, SIGKILL after 30 s).
#   status     exits 3 when no node answers; otherwise prints the lines below (and warns about down nodes).
#   nodes      prints one line per node on stdout: node=<N> port=<client port> controller=<port> pid=<pid or ->
#   kill-node N  SIGKILL node N, no clean-up (fault tests); `start` brings it back.
#
# Env: KAFKA_NODES (1 or 3), KAFKA_PORT (9092, the SASL_SSL listener; node 1's with three),
#      KAFKA_HOST (127.0.0.1: the address that listener binds and advertises; the controller stays on
#      127.0.0.1), KAFKA_CONTROLLER_PORT (port+1; one node only),
#      KAFKA_PLAINTEXT_PORT (unset: only if set, an extra unauthenticated PLAINTEXT listener on
#      127.0.0.1 that no Silta code uses; its principal ANONYMOUS has no ACLs; one node only),
#      KAFKA_CACHE_DIR (<repo>/.cache/kafka), KAFKA_DATA_DIR (<cache>/data-<port>, or cluster-<port>),
#      KAFKA_HEAP (-Xms256m -Xmx512m per node), KAFKA_START_TIMEOUT (90 s, 180 s for three nodes),
#      KAFKA_JVM_OPTS (extra JVM flags).
# On success `start` and `status` print exactly these lines on stdout (progress goes to stderr):
#   KAFKA_BROKERS=<host>:<port>            (three nodes: <host>:<p1>,<host>:<p2>,<host>:<p3>)
#   KAFKA_SSL_CA_FILE=<absolute path of the CA's PEM>
#   KAFKA_CREDENTIALS_DIR=<absolute path of the credentials dir>
# A data dir formatted before issue 11 (no credentials) is refused: delete it and start again.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=security-properties.sh
source "$HERE/security-properties.sh"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
NODES="${KAFKA_NODES:-1}"
PORT="${KAFKA_PORT:-9092}"
HOST="${KAFKA_HOST:-127.0.0.1}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
PLAINTEXT_PORT="${KAFKA_PLAINTEXT_PORT:-}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka}"
if [[ "$NODES" == 3 ]]; then DEFAULT_DIR="$CACHE_DIR/cluster-$PORT"; else DEFAULT_DIR="$CACHE_DIR/data-$PORT"; fi
DATA_DIR="$(realpath -m "${KAFKA_DATA_DIR:-$DEFAULT_DIR}")"
read -ra HEAP <<<"${KAFKA_HEAP:--Xms256m -Xmx512m}"
read -ra EXTRA_OPTS <<<"${KAFKA_JVM_OPTS:-}"
if [[ "$NODES" == 3 ]]; then START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"; else START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"; fi

VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="$CACHE_DIR/lib-$VERSION"
STAMP="$LIB/.complete"          # written last: a half-finished fetch has none and is redone
TLS_DIR="$DATA_DIR/tls"
CA_PEM="$TLS_DIR/ca.pem"
CA_KEY="$TLS_DIR/ca.key"
BROKER_PEM="$TLS_DIR/broker.pem"
BROKER_KEY="$TLS_DIR/broker.key"
KEYSTORE="$TLS_DIR/broker-keystore.pem"   # the broker's key, certificate and CA in one PEM file
CRED_DIR="$DATA_DIR/credentials"
SETUP_STAMP="$DATA_DIR/security-setup.sha256"
CLUSTER_ID_FILE="$DATA_DIR/cluster.id"   # three nodes: every node is formatted with this id
# SCRAM users created when the storage is formatted: admin tooling, the four services, the node itself.
SCRAM_PRINCIPALS=(admin roster consent disclosure receipts broker)
# The controller listener's only user (PLAIN over SASL_PLAINTEXT on 127.0.0.1); a super user.
CONTROLLER_PRINCIPAL=controller
# Passwords: ConfigCommand splits on commas without escaping, JAAS quotes with ": keep to this alphabet.
PASSWORD_RE='^[A-Za-z0-9_-]{32}$'

# One node's files and ports; every per-node function works on the node chosen last (1 for one node).
use_node() { # $1 = node number
  NODE="$1"
  if ((NODES == 1)); then
    NODE_DIR="$DATA_DIR"; NODE_PORT="$PORT"; NODE_CONTROLLER_PORT="$CONTROLLER_PORT"
  else
    NODE_DIR="$DATA_DIR/node-$NODE"; NODE_PORT=$((PORT + 2 * (NODE - 1))); NODE_CONTROLLER_PORT=$((NODE_PORT + 1))
  fi
  LOGS="$NODE_DIR/logs"
  PID_FILE="$NODE_DIR/kafka.pid"
  PROPS="$NODE_DIR/server.properties"
  META="$NODE_DIR/kraft-logs/meta.properties"
  JAVA_ARGS=("${HEAP[@]}" "${EXTRA_OPTS[@]}" -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$LOGS" -cp "$LIB/*")
}
ALL_NODES=()

say() { echo "kafka[$PORT]: $*" >&2; }
node_name() { if ((NODES == 1)); then echo "the broker"; else echo "node $NODE"; fi; }
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

check_env() {
  [[ "$NODES" == 1 || "$NODES" == 3 ]] || die "KAFKA_NODES must be 1 (one node, the default) or 3 (a local cluster), got '$NODES'"
  [[ "$PORT" =~ ^[0-9]+$ && "$CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must be port numbers"
  # An IPv4 address or a host name: it goes into listener URLs and the certificate's SAN unquoted.
  [[ "$HOST" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "KAFKA_HOST must be an IPv4 address or a host name, got '$HOST'"
  if [[ -n "$PLAINTEXT_PORT" ]]; then
    [[ "$PLAINTEXT_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PLAINTEXT_PORT must be a port number, got '$PLAINTEXT_PORT'"
    [[ "$PLAINTEXT_PORT" != "$PORT" && "$PLAINTEXT_PORT" != "$CONTROLLER_PORT" ]] || die "KAFKA_PLAINTEXT_PORT must differ from the other ports"
  fi
  if ((NODES == 3)); then
    [[ -z "${KAFKA_CONTROLLER_PORT:-}" ]] || die "KAFKA_CONTROLLER_PORT is for one node; with KAFKA_NODES=3 node N's controller port is KAFKA_PORT+2(N-1)+1"
    [[ -z "$PLAINTEXT_PORT" ]] || die "KAFKA_PLAINTEXT_PORT is for one node only, not with KAFKA_NODES=3"
  fi
}

# A single node's data dir holds kraft-logs/ itself, a cluster's holds node-N/: never start one as the other.
check_layout() {
  if ((NODES == 1)) && [[ -d "$DATA_DIR/node-1" ]]; then
    die "$DATA_DIR holds a three-node cluster: set KAFKA_NODES=3, or another KAFKA_DATA_DIR for one node"
  fi
  if ((NODES == 3)) && [[ -d "$DATA_DIR/kraft-logs" ]]; then
    die "$DATA_DIR holds a single node's data: unset KAFKA_NODES, or another KAFKA_DATA_DIR for three nodes"
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
  listeners="CLIENT://$HOST:$NODE_PORT,CONTROLLER://127.0.0.1:$NODE_CONTROLLER_PORT"
  advertised="CLIENT://$HOST:$NODE_PORT"
  protocols="CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT"
  if [[ -n "$PLAINTEXT_PORT" ]]; then
    listeners+=",PLAINTEXT://127.0.0.1:$PLAINTEXT_PORT"; advertised+=",PLAINTEXT://127.0.0.1:$PLAINTEXT_PORT"
    protocols+=",PLAINTEXT:PLAINTEXT"
  fi
  (umask 077; cat >"$PROPS.tmp" <<EOF
# Generated by deploy/kafka/kafka.sh on every start; edits are overwritten. Holds passwords: 0600.
process.roles=broker,controller
node.id=$NODE
controller.quorum.voters=$(quorum_voters)
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=$protocols

$(security_properties "$KEYSTORE" "$CA_PEM" "$broker_pw" "$CONTROLLER_PRINCIPAL" "$controller_pw")

log.dirs=$NODE_DIR/kraft-logs
num.partitions=1
auto.create.topics.enable=true
$(replication_properties)
# 1 partition, not 50: a fresh broker serves its first consumer group in ~1 s instead of ~3.5 s.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
# Tests: a lone consumer joins at once instead of waiting 3 s for others.
group.initial.rebalance.delay.ms=0
EOF
  mv "$PROPS.tmp" "$PROPS")
}

# Every node is a voter: node N's controller listener, as in its own properties.
quorum_voters() {
  local i voters=()
  for i in "${ALL_NODES[@]}"; do
    if ((NODES == 1)); then voters+=("1@127.0.0.1:$CONTROLLER_PORT"); else voters+=("$i@127.0.0.1:$((PORT + 2 * (i - 1) + 1))"); fi
  done
  (IFS=,; echo "${voters[*]}")
}

replication_properties() {
  if ((NODES == 1)); then cat <<'EOF'
# One node: every internal topic must live with a single replica, or consumers loop on
# "group coordinator not available" and transactions never initialise.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
EOF
  else cat <<'EOF'
# Three nodes: every topic, internal ones included, on all three; an acks=all write is acknowledged
# only once two replicas hold it, so one node may die without losing an acknowledged message.
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
default.replication.factor=3
min.insync.replicas=2
EOF
  fi
}

format_storage() {
  say "formatting $(node_name)'s storage in $NODE_DIR/kraft-logs with SCRAM users ${SCRAM_PRINCIPALS[*]}"
  local id p args=()
  if ((NODES == 1)); then
    id="$(java "${JAVA_ARGS[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOGS/format.log" | tail -n 1)"
  else
    # One cluster id for all nodes, kept so that a node formatted later joins the same cluster.
    [[ -s "$CLUSTER_ID_FILE" ]] ||
      java "${JAVA_ARGS[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOGS/format.log" | tail -n 1 >"$CLUSTER_ID_FILE"
    id="$(cat "$CLUSTER_ID_FILE")"
  fi
  # --add-scram counts only now, on unformatted storage (later users need ConfigCommand).
  for p in "${SCRAM_PRINCIPALS[@]}"; do args+=(--add-scram "SCRAM-SHA-512=[name=$p,password=$(password_of "$p")]"); done
  java "${JAVA_ARGS[@]}" kafka.tools.StorageTool format -t "$id" -c "$PROPS" "${args[@]}" >>"$LOGS/format.log" 2>&1 ||
    { tail -n 20 "$LOGS/format.log" >&2; die "storage format failed"; }
}

# Alive and not a zombie (a SIGKILLed JVM may linger as one until its parent reaps it).
alive() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$st" != Z* ]]; }

wait_ready() { # $1 = pid, $2 = deadline (in $SECONDS)
  while ((SECONDS < $2)); do
    if ! alive "$1"; then
      say "$(node_name)'s process $1 exited during start-up; last log lines:"
      tail -n 40 "$LOGS/server.log" "$LOGS/kafka.out" >&2 2>/dev/null || true
      rm -f "$PID_FILE"
      ((NODES == 1)) || say "other nodes may be left running: use stop"
      exit 1
    fi
    grep -q 'Kafka Server started' "$LOGS/server.log" 2>/dev/null && port_open "$(running_host)" "$NODE_PORT" && return 0
    sleep 0.5
  done
  say "$(node_name) not ready after ${START_TIMEOUT}s (pid $1 left running; use stop); last log lines:"
  tail -n 40 "$LOGS/server.log" "$LOGS/kafka.out" >&2 2>/dev/null || true
  exit 1
}

# The host the running broker advertises (from its properties), which may differ from this call's KAFKA_HOST.
running_host() {
  local h; h="$(sed -n 's|^advertised.listeners=CLIENT://\([^:,]*\):.*|\1|p' "$PROPS" 2>/dev/null)"
  echo "${h:-$HOST}"
}

# host:port of every node's client listener, comma-separated.
brokers_list() {
  local i list=()
  for i in "${ALL_NODES[@]}"; do use_node "$i"; list+=("$(running_host):$NODE_PORT"); done
  (IFS=,; echo "${list[*]}")
}

print_env() {
  echo "KAFKA_BROKERS=$(brokers_list)"
  echo "KAFKA_SSL_CA_FILE=$CA_PEM"
  echo "KAFKA_CREDENTIALS_DIR=$CRED_DIR"
}

# What the ACL set-up depends on: when it changed since the last successful run, it runs again.
setup_digest() {
  { cat "$REPO_ROOT"/libs/messaging/src/security/*.ts "$REPO_ROOT/libs/contracts/src/topics.ts" "$REPO_ROOT/scripts/kafka-setup.ts" \
    2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}

# Creates Silta's topics and applies the ACL table, as admin (idempotent). It waits for every
# partition to have a serving leader, so on three nodes it also shows that the cluster serves.
apply_security() {
  local digest; digest="$(setup_digest)"
  command -v node >/dev/null || die "node not found: the broker is up but its ACLs and topics are not set up (run start again)"
  say "applying the ACL table and creating Silta's topics (as admin)"
  if ! (cd "$REPO_ROOT" && KAFKA_BROKERS="$(brokers_list)" KAFKA_USERNAME=admin KAFKA_PASSWORD_FILE="$CRED_DIR/admin.password" \
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
  local i pid formatted="" deadline down=() up=() starting=() pids=()
  check_env; check_layout
  for i in "${ALL_NODES[@]}"; do
    use_node "$i"
    if pid="$(live_pid)"; then
      up+=("$i"); pids+=("$pid")
      port_open "$(running_host)" "$NODE_PORT" || starting+=("$i")
    else
      down+=("$i")
    fi
  done
  deadline=$((SECONDS + START_TIMEOUT))
  if ((${#down[@]} == 0)); then
    for i in "${starting[@]}"; do
      use_node "$i"; pid="$(live_pid)"; say "$(node_name) (pid $pid) is starting; waiting"; wait_ready "$pid" "$deadline"
    done
    use_node 1
    say "already running (pid ${pids[*]})"
    [[ "$(running_host)" == "$HOST" ]] || say "note: it listens on $(running_host), not KAFKA_HOST=$HOST; stop it to change that"
    [[ -f "$SETUP_STAMP" && "$(cat "$SETUP_STAMP")" == "$(setup_digest)" ]] || apply_security
    print_env; return 0
  fi
  if ((${#up[@]} > 0)); then
    # Restarting nodes of a running cluster: they must advertise the host the others do.
    use_node "${up[0]}"
    [[ "$(running_host)" == "$HOST" ]] || say "note: the cluster listens on $(running_host), not KAFKA_HOST=$HOST; restarting nodes there"
    HOST="$(running_host)"
    say "node ${up[*]} running; starting node ${down[*]}"
  fi
  for i in "${down[@]}"; do
    use_node "$i"
    for p in "$NODE_PORT" "$NODE_CONTROLLER_PORT" $PLAINTEXT_PORT; do port_open 127.0.0.1 "$p" && die "port $p is taken by another process"; done
    port_open "$HOST" "$NODE_PORT" && die "$HOST:$NODE_PORT is taken by another process"
  done
  command -v java >/dev/null || die "java (17+) not found"
  command -v openssl >/dev/null || die "openssl not found (it creates the broker's TLS files)"
  fetch_jars
  (umask 077; mkdir -p "$DATA_DIR")
  for i in "${ALL_NODES[@]}"; do use_node "$i"; [[ -f "$META" ]] && formatted=yes; done
  ensure_credentials "$formatted"
  ensure_tls
  for i in "${down[@]}"; do
    use_node "$i"
    (umask 077; mkdir -p "$NODE_DIR" "$LOGS")
    write_props
    [[ -f "$META" ]] || format_storage
    # A fresh log per start, so the readiness check cannot match an earlier run's lines.
    for f in server.log kafka.out authorizer.log; do [[ -f "$LOGS/$f" ]] && mv -f "$LOGS/$f" "$LOGS/$f.prev"; done
    [[ -z "$PLAINTEXT_PORT" ]] || warn_plaintext
  done
  rm -f "$SETUP_STAMP"
  # All at once: a node of three waits for a quorum (two voters) before it reports started.
  for i in "${down[@]}"; do
    use_node "$i"
    if ((NODES == 1)); then
      say "starting Kafka $VERSION: SASL_SSL on $HOST:$PORT, controller on 127.0.0.1:$CONTROLLER_PORT, data $DATA_DIR"
    else
      say "starting node $i (Kafka $VERSION): SASL_SSL on $HOST:$NODE_PORT, controller on 127.0.0.1:$NODE_CONTROLLER_PORT, data $NODE_DIR"
    fi
    # The JVM works in its node's dir so nothing lands where the caller stands; `cd` is a command of
    # its own so that $! is the JVM itself (nohup execs java), not a subshell.
    (cd "$NODE_DIR"; nohup java "${JAVA_ARGS[@]}" kafka.Kafka "$PROPS" \
      </dev/null >"$LOGS/kafka.out" 2>&1 & echo $! >"$PID_FILE")
  done
  for i in "${down[@]}" "${starting[@]}"; do
    use_node "$i"; pid="$(cat "$PID_FILE")"
    wait_ready "$pid" "$deadline"
    say "$(node_name) started (pid $pid) in ${SECONDS}s"
  done
  apply_security
  use_node 1
  if ((NODES == 1)); then
    say "ready in ${SECONDS}s; authorizer denials are logged to $LOGS/authorizer.log"
  else
    say "ready in ${SECONDS}s; authorizer denials are logged to $DATA_DIR/node-*/logs/authorizer.log"
  fi
  print_env
}

# `stop` or `status` without KAFKA_NODES=3 on a cluster's port finds no single node: say where it is.
cluster_hint() {
  if ((NODES == 1)) && [[ -z "${KAFKA_DATA_DIR:-}" && -d "$CACHE_DIR/cluster-$PORT" ]]; then
    say "note: $CACHE_DIR/cluster-$PORT holds a three-node cluster: use KAFKA_NODES=3 for it"
  fi
}

stop() {
  local i pid pids=() names=()
  for i in "${ALL_NODES[@]}"; do
    use_node "$i"
    if pid="$(live_pid)"; then
      say "stopping $(node_name) (pid $pid)"; kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); names+=("$(node_name)")
    fi
    rm -f "$PID_FILE"
  done
  if ((${#pids[@]} == 0)); then
    say "not running"; cluster_hint
    return 0
  fi
  for _ in $(seq 1 60); do
    for i in "${!pids[@]}"; do alive "${pids[$i]}" || unset 'pids[i]'; done
    ((${#pids[@]} > 0)) || break
    sleep 0.5
  done
  for i in "${!pids[@]}"; do say "${names[$i]} still alive after 30s; SIGKILL"; kill -KILL "${pids[$i]}" 2>/dev/null || true; done
  say "stopped"
}

status() {
  local i pid answering=0
  for i in "${ALL_NODES[@]}"; do
    use_node "$i"
    if ! pid="$(live_pid)"; then
      if ((NODES == 1)); then say "not running"; cluster_hint; else say "node $i: not running"; fi
    elif ! port_open "$(running_host)" "$NODE_PORT"; then
      if ((NODES == 1)); then say "pid $pid alive but $(running_host):$PORT not answering (starting?)"; else say "node $i: pid $pid alive but $(running_host):$NODE_PORT not answering (starting?)"; fi
    else
      answering=$((answering + 1))
      if ((NODES == 1)); then say "running (pid $pid)"; else say "node $i: running (pid $pid) on $(running_host):$NODE_PORT"; fi
    fi
  done
  ((answering > 0)) || return 3
  ((answering == NODES)) || say "warning: only $answering of $NODES nodes answer (run start)"
  [[ -f "$SETUP_STAMP" ]] || say "warning: the ACL set-up has not succeeded since this broker started (run start)"
  print_env
}

# One line per node for tests: which nodes exist, where they listen, which process runs each.
nodes() {
  local i pid
  check_env
  for i in "${ALL_NODES[@]}"; do
    use_node "$i"; pid="$(live_pid)" || pid=-
    echo "node=$i port=$NODE_PORT controller=$NODE_CONTROLLER_PORT pid=$pid"
  done
}

# SIGKILL, as a crash would: no controlled shutdown, the pid file stays (live_pid sees it is dead).
kill_node() { # $1 = node number
  local pid
  check_env
  [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= NODES)) || die "kill-node needs a node number from 1 to $NODES, got '${1:-}'"
  use_node "$1"
  pid="$(live_pid)" || die "$(node_name) is not running"
  kill -KILL "$pid"
  while alive "$pid"; do sleep 0.1; done
  say "killed $(node_name) (pid $pid) with SIGKILL"
}

[[ "$NODES" == 1 || "$NODES" == 3 ]] && mapfile -t ALL_NODES < <(seq 1 "$NODES")
case "${1:-}" in
  start) start ;; stop) check_env; stop ;; status) check_env; status ;; nodes) nodes ;; kill-node) kill_node "${2:-}" ;;
  *) echo "usage: $0 start|stop|status|nodes|kill-node <N>" >&2; exit 2 ;;
esac
