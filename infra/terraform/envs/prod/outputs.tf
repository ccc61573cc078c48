output "alb_dns_name" {
  description = "DNS name of the ALB (the Route 53 alias points at it)."
  value       = module.sipai.alb_dns_name
}

output "public_base_url" {
  description = "PUBLIC_BASE_URL of this environment."
  value       = module.sipai.public_base_url
}

output "realtime_ws_url" {
  description = "REALTIME_WS_URL of this environment."
  value       = module.sipai.realtime_ws_url
}

output "ecs_cluster_name" {
  description = "ECS cluster name."
  value       = module.sipai.ecs_cluster_name
}

output "service_names" {
  description = "ECS service names by module."
  value       = module.sipai.service_names
}

output "task_definition_families" {
  description = "Task-definition families by module."
  value       = module.sipai.task_definition_families
}

output "container_names" {
  description = "Application container names by module."
  value       = module.sipai.container_names
}

output "ecr_repository_urls" {
  description = "ECR repository URLs by image name."
  value       = module.sipai.ecr_repository_urls
}

output "topic_init_task_family" {
  description = "Task-definition family of the create-topics one-off task."
  value       = module.sipai.topic_init_task_family
}

output "task_subnet_ids" {
  description = "Subnets for one-off tasks."
  value       = module.sipai.task_subnet_ids
}

output "task_security_group_ids" {
  description = "Security groups for one-off tasks."
  value       = module.sipai.task_security_group_ids
}

output "secret_arns" {
  description = "Secrets Manager ARNs to fill in, by environment variable."
  value       = module.sipai.secret_arns
}

output "ci_role_arn" {
  description = "AWS_ROLE_ARN for the GitHub environment."
  value       = module.sipai.ci_role_arn
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.sipai.alarm_topic_arn
}
