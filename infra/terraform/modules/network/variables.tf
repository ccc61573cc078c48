variable "name" {
  description = "Name prefix for every network resource, e.g. sipai-prod."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC; split into /20 public, private and data subnets."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones for the public and private (application) subnets, the ALB and the ECS tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be between 2 and 4 (the ALB needs two zones)."
  }
}

variable "data_az_count" {
  description = "Availability zones for the isolated data subnets (MSK brokers, RDS). Three, so that three MSK brokers sit one per zone."
  type        = number
  default     = 3

  validation {
    condition     = var.data_az_count >= 2 && var.data_az_count <= 4
    error_message = "data_az_count must be between 2 and 4."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway shared by all zones (cheaper, staging) instead of one per zone (production)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the VPC flow-log group, in days."
  type        = number
  default     = 30
}

variable "logs_kms_key_arn" {
  description = "KMS key ARN that encrypts the flow-log group."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
