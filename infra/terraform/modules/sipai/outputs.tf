output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.alb.alb_dns_name
}

output "public_base_url" {
  description = "PUBLIC_BASE_URL of the environment."
  value       = local.base_url
}

output "realtime_ws_url" {
  description = "REALTIME_WS_URL of the environment."
  value       = "wss://${var.domain_name}"
}

output "ecs_cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "ECS service names by module."
  value       = { for k, s in module.service : k => s.service_name }
}

output "task_definition_families" {
  description = "Task-definition families by module (the pipeline registers revisions in them)."
  value       = { for k, s in module.service : k => s.task_definition_family }
}

output "container_names" {
  description = "Application container name by module."
  value       = { for k, s in module.service : k => s.container_name }
}

output "ecr_repository_urls" {
  description = "ECR repository URLs by image name."
  value       = module.ecr.repository_urls
}

output "topic_init_task_family" {
  description = "Task-definition family of the one-off create-topics task."
  value       = aws_ecs_task_definition.topic_init.family
}

output "task_subnet_ids" {
  description = "Private subnets for one-off tasks."
  value       = module.network.private_subnet_ids
}

output "task_security_group_ids" {
  description = "Security groups for one-off tasks (reach MSK)."
  value       = [aws_security_group.tasks.id, module.service["stream-processors"].security_group_id]
}

output "secret_arns" {
  description = "Secrets Manager ARNs by environment variable: put the values there (docs/deploy.md)."
  value       = module.secrets.secret_arns
}

output "ci_role_arn" {
  description = "Role the GitHub workflow assumes through OIDC (AWS_ROLE_ARN)."
  value       = module.github_oidc.role_arn
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = aws_sns_topic.alarms.arn
}

output "kafka_bootstrap_servers" {
  description = "KAFKA_BOOTSTRAP_SERVERS (SASL/IAM over TLS)."
  value       = module.msk.bootstrap_brokers_sasl_iam
}
