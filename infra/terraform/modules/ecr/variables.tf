variable "name_prefix" {
  description = "Repository name prefix, e.g. sipai; repositories are <prefix>/<service>."
  type        = string
}

variable "repositories" {
  description = "Image names, one repository each (the four services and the launcher tools image)."
  type        = list(string)
}

variable "keep_images" {
  description = "How many images each repository keeps; older ones expire (keeps the rollback window)."
  type        = number
  default     = 50
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the images."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
