variable "create_oidc_provider" {
  description = "Create the account-wide GitHub OIDC provider (only once per account: true in one environment, false in the others)."
  type        = bool
}

variable "repository" {
  description = "GitHub repository allowed to assume the role, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "repository must look like owner/name."
  }
}

variable "branches" {
  description = "Branches whose workflow runs may assume the role (main for prod, develop for staging)."
  type        = list(string)
}

variable "allow_tags" {
  description = "Let runs on tags (releases) assume the role."
  type        = bool
  default     = false
}

variable "environments" {
  description = "GitHub deployment environments whose jobs may assume the role (prod, staging)."
  type        = list(string)
}

variable "role_name" {
  description = "Name of the CI role."
  type        = string
}

variable "region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ECR repositories the pipeline pushes images to."
  type        = list(string)
}

variable "ecs_cluster_name" {
  description = "ECS cluster the pipeline deploys to."
  type        = string
}

variable "ecs_cluster_arn" {
  description = "ARN of that cluster (RunTask condition)."
  type        = string
}

variable "ecs_service_names" {
  description = "ECS services the pipeline may update."
  type        = list(string)
}

variable "topic_init_task_family" {
  description = "Task-definition family of the one-off topic-init task the pipeline runs."
  type        = string
}

variable "pass_role_arns" {
  description = "Task and execution roles the new task-definition revisions reference (iam:PassRole)."
  type        = list(string)
}

variable "log_group_arns" {
  description = "Log groups the pipeline reads (topic-init output)."
  type        = list(string)
}

variable "state_bucket" {
  description = "S3 bucket of the Terraform state (the pipeline reads outputs)."
  type        = string
}

variable "state_key" {
  description = "Key of this environment's state object."
  type        = string
}

variable "lock_table" {
  description = "DynamoDB lock table of the Terraform state."
  type        = string
}

variable "state_kms_key_arns" {
  description = "KMS keys that encrypt the state bucket."
  type        = list(string)
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
