variable "aws_region" {
  description = "AWS region of the staging environment."
  type        = string
  default     = "eu-west-1"
}

variable "domain_name" {
  description = "Public host name of the staging environment."
  type        = string
}

variable "route53_zone_name" {
  description = "Public Route 53 hosted zone that holds domain_name."
  type        = string
}

variable "image_tag" {
  description = "Commit SHA of the images the first apply uses; the pipeline deploys later ones."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR of the staging environment."
  type        = string
  default     = "10.50.0.0/16"
}

variable "service_sizes" {
  description = "Per service: Fargate cpu and memory, desired count, autoscaling min and max."
  type = map(object({
    cpu     = number
    memory  = number
    desired = number
    min     = number
    max     = number
  }))
}

variable "realtime_drain_window_seconds" {
  description = "ALB deregistration delay of realtime-edge (how long live calls may continue on a draining task)."
  type        = number
  default     = 300
}

variable "realtime_drain_timeout_seconds" {
  description = "DRAIN_TIMEOUT_SEC of realtime-edge after SIGTERM (at most 105 on Fargate)."
  type        = number
  default     = 60
}

variable "active_calls_target_per_task" {
  description = "Target active calls per realtime-edge task for autoscaling."
  type        = number
  default     = 50
}

variable "msk_mode" {
  description = "provisioned or serverless MSK."
  type        = string
  default     = "serverless"
}

variable "db_instance_class" {
  description = "RDS PostgreSQL instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB and the database."
  type        = bool
  default     = true
}

variable "openai_base_url" {
  description = "OPENAI_BASE_URL; empty for the provider default."
  type        = string
  default     = ""
}

variable "jambonz_outcall_url" {
  description = "JAMBONZ_OUTCALL_URL; empty when jambonz is not used."
  type        = string
  default     = ""
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the alarms."
  type        = list(string)
  default     = []
}

variable "create_github_oidc_provider" {
  description = "Create the account-wide GitHub OIDC provider in this environment (one environment per account)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "GitHub repository (owner/name) that deploys this environment."
  type        = string
}

variable "state_bucket" {
  description = "S3 bucket of the Terraform state (same as backend.hcl)."
  type        = string
}

variable "state_lock_table" {
  description = "DynamoDB lock table of the Terraform state (same as backend.hcl)."
  type        = string
  default     = "sipai-terraform-locks"
}

variable "state_kms_key_arns" {
  description = "KMS keys of the state bucket (bootstrap output state_kms_key_arn)."
  type        = list(string)
}
