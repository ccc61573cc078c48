variable "path_prefix" {
  description = "Secrets Manager name prefix, e.g. sipai/prod; each secret is <prefix>/<ENV_VAR_NAME>."
  type        = string
}

variable "secret_names" {
  description = "Environment-variable names whose values live in Secrets Manager (tokens, keys, webhook secrets)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the secrets."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
