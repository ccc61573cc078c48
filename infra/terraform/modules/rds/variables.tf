variable "name" {
  description = "Identifier of the database instance, e.g. sipai-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets of the database subnet group."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups of the tasks allowed to reach PostgreSQL on 5432."
  type        = list(string)
}

variable "engine_major_version" {
  description = "PostgreSQL major version (parameter-group family)."
  type        = string
  default     = "17"
}

variable "engine_version" {
  description = "PostgreSQL engine version."
  type        = string
  default     = "17.6"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "allocated_storage_gb" {
  description = "Initial storage, in GiB."
  type        = number
  default     = 50
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling, in GiB."
  type        = number
  default     = 500
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "sipai"
}

variable "master_username" {
  description = "Master user; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "sipai"
}

variable "multi_az" {
  description = "Standby replica in a second zone with automatic failover (production)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Automated backup retention, in days (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1
    error_message = "Backups must be on: backup_retention_days >= 1."
  }
}

variable "deletion_protection" {
  description = "Protect the database from deletion."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the master-password secret."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
