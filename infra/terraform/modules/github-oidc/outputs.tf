output "role_arn" {
  description = "ARN of the CI role: the AWS_ROLE_ARN variable of the GitHub environment."
  value       = aws_iam_role.ci.arn
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider."
  value       = local.provider_arn
}
