output "jdbc_url" {
  description = "DB_URL for the services."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?sslmode=require"
}

output "master_username" {
  description = "DB_USER for the services."
  value       = var.master_username
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret (JSON with username and password) managed and rotated by RDS: DB_SECRET_ARN."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "master_user_secret_kms_key_arn" {
  description = "KMS key that encrypts the master user secret (readers need kms:Decrypt through Secrets Manager)."
  value       = aws_db_instance.this.master_user_secret[0].kms_key_id
}

output "instance_id" {
  description = "Identifier of the database instance (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}
