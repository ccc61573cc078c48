output "cluster_arn" {
  description = "ARN of the MSK cluster (provisioned or serverless)."
  value       = local.provisioned ? aws_msk_cluster.this[0].arn : aws_msk_serverless_cluster.this[0].arn
}

output "cluster_name" {
  description = "Name of the MSK cluster (CloudWatch dimension \"Cluster Name\")."
  value       = local.cluster_name
}

output "cluster_uuid" {
  description = "UUID part of the cluster ARN, used to scope topic and group ARNs in IAM policies."
  value       = element(split("/", local.provisioned ? aws_msk_cluster.this[0].arn : aws_msk_serverless_cluster.this[0].arn), 2)
}

output "bootstrap_brokers_sasl_iam" {
  description = "Bootstrap servers for SASL/IAM over TLS (KAFKA_BOOTSTRAP_SERVERS)."
  value       = local.provisioned ? aws_msk_cluster.this[0].bootstrap_brokers_sasl_iam : aws_msk_serverless_cluster.this[0].bootstrap_brokers_sasl_iam
}

output "security_group_id" {
  description = "Security group of the brokers."
  value       = aws_security_group.msk.id
}

output "min_session_timeout_ms" {
  description = "The lowest consumer-group session timeout the brokers accept (6000 on MSK Serverless)."
  value       = local.provisioned ? var.group_min_session_timeout_ms : 6000
}
