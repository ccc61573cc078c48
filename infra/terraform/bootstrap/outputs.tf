output "state_bucket" {
  description = "Put this in envs/*/backend.hcl (bucket) and terraform.tfvars (state_bucket)."
  value       = aws_s3_bucket.state.id
}

output "lock_table" {
  description = "Put this in envs/*/backend.hcl (dynamodb_table)."
  value       = aws_dynamodb_table.locks.name
}

output "state_kms_key_arn" {
  description = "Put this in envs/*/terraform.tfvars (state_kms_key_arns)."
  value       = aws_kms_key.state.arn
}
