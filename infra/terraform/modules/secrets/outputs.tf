output "secret_arns" {
  description = "Secret ARNs by environment-variable name."
  value       = { for k, s in aws_secretsmanager_secret.this : k => s.arn }
}
