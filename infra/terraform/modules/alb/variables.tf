variable "name" {
  description = "Name of the load balancer and prefix of its target groups (at most 20 characters)."
  type        = string

  validation {
    condition     = length(var.name) <= 20
    error_message = "name must be at most 20 characters so target-group names stay within 32."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer and its target groups."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR, the only destination the ALB may send traffic to."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (two zones or more) of the load balancer."
  type        = list(string)
}

variable "domain_name" {
  description = "Public host name of the platform, e.g. voice.example.com; gets the ACM certificate and the Route 53 alias."
  type        = string
}

variable "route53_zone_name" {
  description = "Public Route 53 hosted zone that holds domain_name, e.g. example.com."
  type        = string
}

variable "ssl_policy" {
  description = "ALB TLS policy for the HTTPS listener; must allow TLS 1.2 and newer only."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("TLS13-1-2|TLS-1-2", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS-1-2-*)."
  }
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout; WebSocket media streams may be silent for a while, so at least 900 s."
  type        = number
  default     = 900

  validation {
    condition     = var.idle_timeout_seconds >= 900 && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must be between 900 and 4000."
  }
}

variable "stickiness_seconds" {
  description = "Duration of the lb_cookie stickiness on sticky target groups (realtime-edge)."
  type        = number
  default     = 3600
}

variable "targets" {
  description = "Target groups by service name: container port, short name for the target-group name, deregistration delay in seconds (drain window) and whether lb_cookie stickiness is on."
  type = map(object({
    port                 = number
    short_name           = string
    deregistration_delay = number
    sticky               = bool
  }))
}

variable "routes" {
  description = "Path-routing rules of the HTTPS listener: priority (lower wins), path patterns (at most 5) and the target (a key of targets)."
  type = list(object({
    priority = number
    paths    = list(string)
    target   = string
  }))
}

variable "access_logs_bucket" {
  description = "S3 bucket for ALB access logs, or null to disable them."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
