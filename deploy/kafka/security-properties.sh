# Sourced by deploy/kafka/kafka.sh (npm start, tests, CI) and deploy/docker/kafka/broker.sh (compose):
# the one place that says how the broker is secured, so the two cannot drift apart.
#   security_properties <keystore PEM> <CA PEM> <broker password> <controller user> <controller password>
# prints the server.properties lines for the CLIENT listener (TLS from the CA, then SCRAM; the node
# itself logs in there as `broker`), the CONTROLLER listener (PLAIN, one user) and the authorizer.
security_properties() {
  local keystore="$1" ca="$2" broker_pw="$3" controller="$4" controller_pw="$5"
  cat <<PROPS
# Clients and the node itself (inter-broker) on CLIENT: TLS from the local CA, then SCRAM. SHA-256
# is enabled too so a password can be rotated without downtime (README); only SHA-512 users exist.
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$broker_pw";
listener.name.client.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.client.ssl.keystore.type=PEM
listener.name.client.ssl.keystore.location=$keystore
listener.name.client.ssl.truststore.type=PEM
listener.name.client.ssl.truststore.location=$ca
listener.name.client.ssl.client.auth=none

# The controller listener: PLAIN with one user, a super user (without that the node hangs on
# CLUSTER_ACTION; with ANONYMOUS as super user anyone reaching the port would have cluster rights).
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$controller" password="$controller_pw" user_$controller="$controller_pw";

# No ACL, no access. Super users: the node's own principals and admin (admin tooling only: the ACL
# set-up, topic creation, password rotation); services get exactly the ACL table.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:broker;User:$controller;User:admin
PROPS
}
