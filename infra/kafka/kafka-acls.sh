#!/usr/bin/env bash
# Kafka ACLs of sipai's principals, for a self-managed cluster with an authorizer (MSK with IAM uses
# the Terraform policies instead; the one-machine run has no authorizer and needs none of this).
# Generated from io.sipai.schemas.TopicOwnership: do not edit, run
#   ./mvnw -pl schemas,infra verify -Dtest=KafkaLeastPrivilegeTest -Dsipai.infra.write=true
# Usage: KAFKA_BOOTSTRAP_SERVERS=host:9093 [KAFKA_ACLS_COMMAND_CONFIG=admin.properties] \
#        [SIPAI_PRINCIPAL_PREFIX=User:] infra/kafka/kafka-acls.sh [--dry-run]
# Principal of a service: ${SIPAI_PRINCIPAL_PREFIX:-User:}<service>, e.g. User:realtime-edge.
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?set KAFKA_BOOTSTRAP_SERVERS}"
prefix="${SIPAI_PRINCIPAL_PREFIX:-User:}"
command=(kafka-acls.sh --bootstrap-server "$bootstrap")
if [[ -n "${KAFKA_ACLS_COMMAND_CONFIG:-}" ]]; then
  command+=(--command-config "$KAFKA_ACLS_COMMAND_CONFIG")
fi
dry_run=false
if [[ "${1:-}" == "--dry-run" ]]; then
  dry_run=true
fi

allow() {
  local principal="$1"
  shift
  if [[ "$dry_run" == true ]]; then
    echo "${command[*]} --add --allow-principal ${prefix}${principal} $*"
  else
    "${command[@]}" --add --allow-principal "${prefix}${principal}" "$@"
  fi
}

# api-gateway
allow api-gateway --cluster --operation Describe --operation IdempotentWrite
allow api-gateway --group api-gateway-projection --operation Describe --operation Read
allow api-gateway --group api-gateway-webhook-disables --operation Describe --operation Read
allow api-gateway --topic admission.counters.v1 --operation Describe --operation Read
allow api-gateway --topic agent.config.v1 --operation Describe --operation Write
allow api-gateway --topic call.admission-decisions.v1 --operation Describe --operation Read
allow api-gateway --topic call.admission.v1 --operation Describe --operation Write
allow api-gateway --topic call.events.v1 --operation Describe --operation Write
allow api-gateway --topic call.quarantine.v1 --operation Describe --operation Write
allow api-gateway --topic call.timeline-entries.v1 --operation Describe --operation Read
allow api-gateway --topic call.timeline.v1 --operation Describe --operation Read
allow api-gateway --topic campaign.config.v1 --operation Describe --operation Write
allow api-gateway --topic sipai.health.v1 --operation Create --operation Describe --operation Write
allow api-gateway --topic tenant.api-keys.v1 --operation Describe --operation Write
allow api-gateway --topic webhook.attempts.v1 --operation Describe --operation Read
allow api-gateway --topic webhook.replay.v1 --operation Describe --operation Write
allow api-gateway --topic webhook.subscriptions.v1 --operation Describe --operation Read --operation Write

# realtime-edge
allow realtime-edge --cluster --operation Describe --operation IdempotentWrite
allow realtime-edge --topic agent.config.v1 --operation Create --operation Describe --operation Read
allow realtime-edge --topic call.admission-decisions.v1 --operation Create --operation Describe --operation Read
allow realtime-edge --topic call.admission.v1 --operation Create --operation Describe --operation Write
allow realtime-edge --topic call.events.v1 --operation Create --operation Describe --operation Write
allow realtime-edge --topic sipai.health.v1 --operation Create --operation Describe --operation Write
allow realtime-edge --topic tenant.api-keys.v1 --operation Create --operation Describe --operation Read

# webhook-dispatcher
allow webhook-dispatcher --cluster --operation Describe --operation IdempotentWrite
allow webhook-dispatcher --group webhook-dispatcher --operation Describe --operation Read
allow webhook-dispatcher --group webhook-dispatcher-replay --operation Describe --operation Read
allow webhook-dispatcher --resource-pattern-type prefixed --topic webhook-dispatcher- --operation Create --operation Delete --operation Describe --operation DescribeConfigs --operation Read --operation Write
allow webhook-dispatcher --resource-pattern-type prefixed --transactional-id webhook-dispatcher- --operation Describe --operation Write
allow webhook-dispatcher --topic call.quarantine.v1 --operation Create --operation Describe --operation Write
allow webhook-dispatcher --topic call.timeline-entries.v1 --operation Create --operation Describe --operation Read
allow webhook-dispatcher --topic sipai.health.v1 --operation Create --operation Describe --operation Write
allow webhook-dispatcher --topic webhook.attempts.v1 --operation Create --operation Describe --operation Read --operation Write
allow webhook-dispatcher --topic webhook.dead-letter.v1 --operation Create --operation Describe --operation Write
allow webhook-dispatcher --topic webhook.outbox.v1 --operation Create --operation Describe --operation Read --operation Write
allow webhook-dispatcher --topic webhook.replay.v1 --operation Create --operation Describe --operation Read
allow webhook-dispatcher --topic webhook.subscriptions.v1 --operation Create --operation Describe --operation Read --operation Write

# stream-processors
allow stream-processors --cluster --operation Describe --operation IdempotentWrite
allow stream-processors --group sipai-admission --operation Describe --operation Read
allow stream-processors --group sipai-admission-releases --operation Describe --operation Read
allow stream-processors --group sipai-timeline --operation Describe --operation Read
allow stream-processors --resource-pattern-type prefixed --topic sipai-admission- --operation Create --operation Delete --operation Describe --operation DescribeConfigs --operation Read --operation Write
allow stream-processors --resource-pattern-type prefixed --topic sipai-timeline- --operation Create --operation Delete --operation Describe --operation DescribeConfigs --operation Read --operation Write
allow stream-processors --resource-pattern-type prefixed --transactional-id sipai-admission- --operation Describe --operation Write
allow stream-processors --resource-pattern-type prefixed --transactional-id sipai-timeline- --operation Describe --operation Write
allow stream-processors --topic admission.counters.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic agent.config.v1 --operation Create --operation Describe
allow stream-processors --topic call.admission-decisions.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic call.admission.v1 --operation Create --operation Describe --operation Read --operation Write
allow stream-processors --topic call.events.v1 --operation Create --operation Describe --operation Read --operation Write
allow stream-processors --topic call.quarantine.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic call.timeline-entries.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic call.timeline.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic campaign.config.v1 --operation Create --operation Describe --operation Read
allow stream-processors --topic sipai.health.v1 --operation Create --operation Describe --operation Write
allow stream-processors --topic tenant.api-keys.v1 --operation Create --operation Describe
allow stream-processors --topic webhook.attempts.v1 --operation Create --operation Describe
allow stream-processors --topic webhook.dead-letter.v1 --operation Create --operation Describe
allow stream-processors --topic webhook.outbox.v1 --operation Create --operation Describe
allow stream-processors --topic webhook.replay.v1 --operation Create --operation Describe
allow stream-processors --topic webhook.subscriptions.v1 --operation Create --operation Describe

# topic-init
allow topic-init --cluster --operation Describe
allow topic-init --topic admission.counters.v1 --operation Create --operation Describe
allow topic-init --topic agent.config.v1 --operation Create --operation Describe
allow topic-init --topic call.admission-decisions.v1 --operation Create --operation Describe
allow topic-init --topic call.admission.v1 --operation Create --operation Describe
allow topic-init --topic call.events.v1 --operation Create --operation Describe
allow topic-init --topic call.quarantine.v1 --operation Create --operation Describe
allow topic-init --topic call.timeline-entries.v1 --operation Create --operation Describe
allow topic-init --topic call.timeline.v1 --operation Create --operation Describe
allow topic-init --topic campaign.config.v1 --operation Create --operation Describe
allow topic-init --topic sipai.health.v1 --operation Create --operation Describe
allow topic-init --topic tenant.api-keys.v1 --operation Create --operation Describe
allow topic-init --topic webhook.attempts.v1 --operation Create --operation Describe
allow topic-init --topic webhook.dead-letter.v1 --operation Create --operation Describe
allow topic-init --topic webhook.outbox.v1 --operation Create --operation Describe
allow topic-init --topic webhook.replay.v1 --operation Create --operation Describe
allow topic-init --topic webhook.subscriptions.v1 --operation Create --operation Describe
