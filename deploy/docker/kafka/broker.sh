#!/bin/bash
# The compose broker (apache/kafka image, one KRaft node): clients and the node itself on a SASL_SSL
# listener with SCRAM-SHA-512, the controller on a loopback-only SASL_PLAINTEXT listener (PLAIN, one
# user), and the StandardAuthorizer: no ACL, no access. The ACLs and topics come after the start,
# from the one-shot kafka-setup service. TLS material and passwords are the compose secrets the
# operator generated once (npm run compose:secrets); nothing secret is in the image or this file.
#   broker.sh          writes the configuration, formats the storage on first start with a SCRAM
#                      user per principal, and runs the broker
#   broker.sh health   exits 0 when the broker answers the admin principal over SASL_SSL
set -euo pipefail
# The broker's security settings, shared with deploy/kafka/kafka.sh (mounted by compose).
source /etc/silta/security-properties.sh

SECRETS=/run/secrets
CA=/etc/silta/kafka-ca.pem
KEYSTORE="$SECRETS/kafka-broker-keystore"
CONF=/tmp/silta-kafka            # in the container only, rewritten on every start; holds passwords
DATA=/var/lib/kafka/data
HOST=kafka
# SCRAM users created when the storage is formatted: the node itself, admin tooling, the services.
SCRAM_PRINCIPALS=(broker admin roster consent disclosure receipts)

say() { echo "broker.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
password_of() {
  local file="$SECRETS/kafka-$1-password" pw
  [[ -r "$file" ]] || die "$file is missing or unreadable (npm run compose:secrets; the container reads it as uid $(id -u))"
  pw="$(tr -d '\r\n' <"$file")"
  # JAAS quotes with ", the storage tool's --add-scram splits on commas: keep to this alphabet.
  [[ "$pw" =~ ^[A-Za-z0-9_-]{16,}$ ]] || die "$file must hold 16+ characters of [A-Za-z0-9_-]"
  echo "$pw"
}

write_config() {
  local broker_pw controller_pw admin_pw
  broker_pw="$(password_of broker)"; controller_pw="$(password_of controller)"; admin_pw="$(password_of admin)"
  [[ -r "$KEYSTORE" && -r "$CA" ]] || die "the broker's TLS files ($KEYSTORE, $CA) are missing or unreadable"
  (umask 077; mkdir -p "$CONF"
  cat >"$CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=CLIENT://:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=CLIENT://$HOST:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT

$(security_properties "$KEYSTORE" "$CA" "$broker_pw" controller "$controller_pw")

log.dirs=$DATA
num.partitions=3
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$CONF/admin.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_pw";
ssl.truststore.type=PEM
ssl.truststore.location=$CA
PROPS
  )
}

case "${1:-start}" in
  health)
    exec /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server "$HOST:9092" --command-config "$CONF/admin.properties" >/dev/null 2>&1 ;;
  start)
    [[ -n "${CLUSTER_ID:-}" ]] || die "CLUSTER_ID is not set"
    write_config
    if [[ ! -f "$DATA/meta.properties" ]]; then
      say "formatting the storage with SCRAM users ${SCRAM_PRINCIPALS[*]}"
      args=()
      for p in "${SCRAM_PRINCIPALS[@]}"; do args+=(--add-scram "SCRAM-SHA-512=[name=$p,password=$(password_of "$p")]"); done
      /opt/kafka/bin/kafka-storage.sh format -t "$CLUSTER_ID" -c "$CONF/server.properties" "${args[@]}"
    fi
    exec /opt/kafka/bin/kafka-server-start.sh "$CONF/server.properties" ;;
  *) die "usage: broker.sh [start|health]" ;;
esac
