variable "env_name" {
  description = "Environment name: prod or staging. Also the GitHub deployment environment the CI role trusts."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.env_name))
    error_message = "env_name must be 2-12 lowercase letters, digits or dashes."
  }
}

variable "domain_name" {
  description = "Public host name of the platform (one domain, path routing), e.g. voice.example.com."
  type        = string
}

variable "route53_zone_name" {
  description = "Public Route 53 hosted zone holding domain_name."
  type        = string
}

variable "image_tag" {
  description = "Image tag (commit SHA) of the first task-definition revisions; later revisions come from the pipeline."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR."
  type        = string
}

variable "az_count" {
  description = "Zones of the application tier (ALB, ECS)."
  type        = number
  default     = 2
}

variable "data_az_count" {
  description = "Zones of the isolated data tier (MSK brokers, RDS)."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway (staging) instead of one per zone (production)."
  type        = bool
}

variable "service_sizes" {
  description = "Per service: Fargate cpu units and memory MiB, initial desired count, autoscaling min and max."
  type = map(object({
    cpu     = number
    memory  = number
    desired = number
    min     = number
    max     = number
  }))

  validation {
    condition     = alltrue([for s in ["api-gateway", "realtime-edge", "webhook-dispatcher", "stream-processors"] : contains(keys(var.service_sizes), s)])
    error_message = "service_sizes needs an entry for each of api-gateway, realtime-edge, webhook-dispatcher and stream-processors."
  }
}

variable "service_secrets" {
  description = "Per service: the secret environment variables (Secrets Manager, one secret per name) its task definition references."
  type        = map(list(string))
  default = {
    "api-gateway" = [
      "JAMBONZ_APP_SID",
      "JAMBONZ_TOKEN",
      "JAMBONZ_WEBHOOK_SECRET",
      "SIPAI_ADMIN_API_KEY",
      "SIPAI_SECRETS_KEYS",
      "TELEPHONY_TOKEN_SECRET",
      "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN",
    ]
    "realtime-edge" = [
      "DEEPGRAM_API_KEY",
      "JAMBONZ_TOKEN",
      "JAMBONZ_WEBHOOK_SECRET",
      "OPENAI_API_KEY",
      "REALTIME_API_KEY",
      "REALTIME_WS_SECRET",
      "TELEPHONY_TOKEN_SECRET",
      "TWILIO_AUTH_TOKEN",
    ]
    # The master keys of webhook secrets at rest: only the service that seals and the one that opens them.
    "webhook-dispatcher" = ["SIPAI_SECRETS_KEYS"]
    "stream-processors"  = []
  }
}

variable "services_with_database" {
  description = "Services that get DB_URL, DB_USER and DB_SECRET_ARN (the RDS-managed secret, which their task role may read: read at run time and again after each rotation)."
  type        = list(string)
  default     = ["api-gateway"]
}

variable "realtime_drain_window_seconds" {
  description = "ALB deregistration delay of realtime-edge: how long live calls keep flowing to a task being replaced or scaled in before the ALB closes them (up to 3600)."
  type        = number
  default     = 900

  validation {
    condition     = var.realtime_drain_window_seconds >= 60 && var.realtime_drain_window_seconds <= 3600
    error_message = "realtime_drain_window_seconds must be between 60 and 3600."
  }
}

variable "realtime_drain_timeout_seconds" {
  description = "DRAIN_TIMEOUT_SEC of realtime-edge after SIGTERM; Fargate kills 120 s after SIGTERM, so at most 105."
  type        = number
  default     = 90

  validation {
    condition     = var.realtime_drain_timeout_seconds >= 1 && var.realtime_drain_timeout_seconds <= 105
    error_message = "realtime_drain_timeout_seconds must be between 1 and 105 (Fargate stopTimeout is at most 120)."
  }
}

variable "realtime_scale_in_cooldown_seconds" {
  description = "Scale-in cooldown of realtime-edge: slow, since every removed task drains live calls."
  type        = number
  default     = 900
}

variable "active_calls_metric_name" {
  description = "Prometheus gauge of active calls that realtime-edge exports on /metrics (scraped by the sidecar into CloudWatch): its meter edge.calls.live."
  type        = string
  default     = "edge_calls_live"
}

variable "active_calls_target_per_task" {
  description = "Target active calls per realtime-edge task for the custom-metric scaling policy."
  type        = number
  default     = 50
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout (WebSocket media streams), at least 900."
  type        = number
  default     = 900
}

variable "alb_access_logs_bucket" {
  description = "S3 bucket for ALB access logs, or null."
  type        = string
  default     = null
}

variable "msk_mode" {
  description = "provisioned (3 brokers, TLS + IAM, replication 3, min ISR 2) or serverless."
  type        = string
}

variable "msk_broker_count" {
  description = "Brokers of the provisioned MSK cluster (multiple of data_az_count)."
  type        = number
  default     = 3
}

variable "msk_broker_instance_type" {
  description = "Broker instance type of the provisioned MSK cluster."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_broker_volume_gb" {
  description = "EBS storage per broker, GiB."
  type        = number
  default     = 500
}

variable "db_instance_class" {
  description = "RDS PostgreSQL instance class."
  type        = string
}

variable "db_multi_az" {
  description = "RDS standby in a second zone (production)."
  type        = bool
}

variable "db_backup_retention_days" {
  description = "RDS automated backup retention, days."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB and RDS."
  type        = bool
  default     = true
}

variable "ecr_keep_images" {
  description = "Images kept per ECR repository (rollback window)."
  type        = number
  default     = 50
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group, days."
  type        = number
  default     = 30
}

variable "openai_base_url" {
  description = "OPENAI_BASE_URL (OpenAI-compatible endpoint); empty for the provider default."
  type        = string
  default     = ""
}

variable "jambonz_outcall_url" {
  description = "JAMBONZ_OUTCALL_URL, the jambonz REST endpoint for outbound calls; empty when jambonz is not used."
  type        = string
  default     = ""
}

variable "telephony_global_max_concurrency" {
  description = "TELEPHONY_GLOBAL_MAX_CONCURRENCY: calls admitted platform-wide."
  type        = number
  default     = 10000
}

variable "telephony_per_campaign_max_concurrency" {
  description = "TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY: calls admitted per campaign."
  type        = number
  default     = 100
}

variable "telephony_semaphore_ttl_seconds" {
  description = "TELEPHONY_SEMAPHORE_TTL_SEC: seconds after the last heartbeat before a slot is reclaimed."
  type        = number
  default     = 600
}

variable "max_concurrent_calls" {
  description = "MAX_CONCURRENT_CALLS: calls admitted per tenant."
  type        = number
  default     = 200
}

variable "log_level" {
  description = "LOG_LEVEL of the services."
  type        = string
  default     = "INFO"
}

variable "otel_exporter_otlp_endpoint" {
  description = "OTEL_EXPORTER_OTLP_ENDPOINT of the services: an OTLP/HTTP receiver for the calls' traces (e.g. an ADOT or OpenTelemetry Collector sidecar, http://localhost:4318). Empty: tracing off."
  type        = string
  default     = ""
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "alarm_alb_5xx_per_minute" {
  description = "ALB 5xx alarm threshold, responses per minute."
  type        = number
  default     = 10
}

variable "consumer_lag_alarms" {
  description = "Consumer-lag alarms (MSK MaxOffsetLag): consumer group, topic and the lag that raises the alarm."
  type = list(object({
    consumer_group = string
    topic          = string
    max_offset_lag = number
  }))
  default = [
    { consumer_group = "sipai-timeline", topic = "call.events.v1", max_offset_lag = 10000 },
    { consumer_group = "sipai-admission", topic = "call.admission.v1", max_offset_lag = 1000 },
    { consumer_group = "sipai-admission-releases", topic = "call.events.v1", max_offset_lag = 10000 },
    { consumer_group = "api-gateway-projection", topic = "call.timeline-entries.v1", max_offset_lag = 10000 },
    { consumer_group = "webhook-dispatcher", topic = "webhook.outbox.v1", max_offset_lag = 5000 },
  ]
}

variable "create_github_oidc_provider" {
  description = "Create the account-wide GitHub OIDC provider here (true in exactly one environment per AWS account)."
  type        = bool
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy this environment."
  type        = string
}

variable "github_branches" {
  description = "Branches allowed to deploy this environment (main for prod, develop for staging)."
  type        = list(string)
}

variable "github_allow_tags" {
  description = "Allow tag (release) runs to assume the CI role."
  type        = bool
  default     = false
}

variable "state_bucket" {
  description = "S3 bucket of the Terraform state (CI reads the outputs)."
  type        = string
}

variable "state_key" {
  description = "State object key of this environment."
  type        = string
}

variable "state_lock_table" {
  description = "DynamoDB lock table of the Terraform state."
  type        = string
}

variable "state_kms_key_arns" {
  description = "KMS keys of the state bucket (CI decrypts the state to read outputs)."
  type        = list(string)
}

variable "tags" {
  description = "Extra tags for every resource (Project, Environment and ManagedBy are added)."
  type        = map(string)
  default     = {}
}

variable "recordings_max_retention_days" {
  description = "Days after which the recordings bucket deletes any call recording, whatever a tenant's retention (api-gateway deletes earlier where RECORDINGS_RETENTION_DAYS or a tenant asks); 0 keeps them until deleted."
  type        = number
  default     = 400

  validation {
    condition     = var.recordings_max_retention_days >= 0
    error_message = "recordings_max_retention_days must be 0 or more."
  }
}
