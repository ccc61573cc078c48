output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.this.name
}

output "task_definition_family" {
  description = "Task-definition family the pipeline registers new revisions in."
  value       = aws_ecs_task_definition.this.family
}

output "container_name" {
  description = "Name of the application container in the task definition."
  value       = local.container_name
}

output "task_role_arn" {
  description = "Task role (application permissions)."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task role, for permissions attached outside the module (the database secret)."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "Execution role (image pull, secrets, logs)."
  value       = aws_iam_role.execution.arn
}

output "log_group_arn" {
  description = "Log group of the service."
  value       = aws_cloudwatch_log_group.app.arn
}

output "security_group_id" {
  description = "Security group of the service tasks."
  value       = aws_security_group.service.id
}
