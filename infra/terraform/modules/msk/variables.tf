variable "name" {
  description = "MSK cluster name, e.g. sipai-prod."
  type        = string
}

variable "mode" {
  description = "\"provisioned\" (brokers you size, replication 3, min ISR 2) or \"serverless\" (MSK Serverless, pay per use)."
  type        = string
  default     = "provisioned"

  validation {
    condition     = contains(["provisioned", "serverless"], var.mode)
    error_message = "mode must be provisioned or serverless."
  }
}

variable "vpc_id" {
  description = "VPC of the brokers."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets, one per zone, for the brokers."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups of the tasks allowed to reach the brokers on 9098 (SASL/IAM over TLS)."
  type        = list(string)
}

variable "kafka_version" {
  description = "Kafka version of the provisioned cluster (KRaft mode versions end in .x.kraft on MSK)."
  type        = string
  default     = "3.9.x.kraft"
}

variable "broker_count" {
  description = "Number of brokers of the provisioned cluster; a multiple of the subnet count."
  type        = number
  default     = 3
}

variable "broker_instance_type" {
  description = "Broker instance type of the provisioned cluster."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_volume_gb" {
  description = "EBS storage per broker, in GiB."
  type        = number
  default     = 500
}

variable "enhanced_monitoring" {
  description = "MSK monitoring level (DEFAULT already publishes per-consumer-group lag: MaxOffsetLag, SumOffsetLag)."
  type        = string
  default     = "PER_BROKER"
}

variable "kms_key_arn" {
  description = "KMS key for encryption at rest of the provisioned cluster."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the broker log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the broker log group, in days."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}

variable "group_min_session_timeout_ms" {
  description = "Brokers' group.min.session.timeout.ms (provisioned only; MSK Serverless keeps 6000). stream-processors' session timeout may not be below it."
  type        = number
  default     = 2000
}
