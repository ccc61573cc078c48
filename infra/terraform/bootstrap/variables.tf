variable "aws_region" {
  description = "Region of the state bucket and lock table."
  type        = string
  default     = "eu-west-1"
}

variable "state_bucket_prefix" {
  description = "State bucket name prefix; the account id is appended to make it globally unique."
  type        = string
  default     = "sipai-terraform-state"
}

variable "lock_table_name" {
  description = "Name of the DynamoDB state-lock table."
  type        = string
  default     = "sipai-terraform-locks"
}
