export * from './acl-table';
export * from './kafka-setup';
export { kafkaSetupSettings, runKafkaSetup, type KafkaSetupSettings } from './setup-main';
