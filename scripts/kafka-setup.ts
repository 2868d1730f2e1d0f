// Creates Silta's topics and applies the broker's ACL table as the admin principal; run by
// deploy/kafka/kafka.sh after the broker is up:
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_USERNAME=admin KAFKA_PASSWORD_FILE=<data>/credentials/admin.password \
//   KAFKA_SSL_CA_FILE=<data>/tls/ca.pem node -r @swc-node/register scripts/kafka-setup.ts
// The logic lives in libs/messaging/src/security (compose runs its compiled setup-main.js).
import { main } from '@silta/messaging/security/setup-main';

main();
