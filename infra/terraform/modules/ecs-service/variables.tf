variable "name" {
  description = "Service name (the Maven module), e.g. realtime-edge; also the container name."
  type        = string
}

variable "env_name" {
  description = "Environment name, e.g. prod or staging; prefixes roles, families and log groups."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster (autoscaling resource id, metric dimension)."
  type        = string
}

variable "image" {
  description = "Initial container image (repository URL and tag); the pipeline registers later revisions."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository the execution role may pull from."
  type        = string
}

variable "container_port" {
  description = "Port the service listens on (8080 api-gateway, 8081 realtime-edge, 8082 webhook-dispatcher, 8083 stream-processors)."
  type        = number
}

variable "cpu" {
  description = "Fargate task CPU units (256, 512, 1024, 2048, 4096...)."
  type        = number
}

variable "memory" {
  description = "Fargate task memory, in MiB, valid for the chosen cpu."
  type        = number
}

variable "desired_count" {
  description = "Initial task count (autoscaling owns it afterwards)."
  type        = number
}

variable "min_count" {
  description = "Autoscaling minimum task count."
  type        = number
}

variable "max_count" {
  description = "Autoscaling maximum task count."
  type        = number
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation of the CPU target-tracking policy."
  type        = number
  default     = 60
}

variable "scale_in_cooldown_seconds" {
  description = "Seconds between scale-in steps; long for services that hold live calls."
  type        = number
  default     = 300
}

variable "active_calls_autoscaling" {
  description = "Target tracking on the active-calls gauge scraped from /metrics by a CloudWatch agent sidecar: Prometheus metric name and target calls per task; null turns it (and the sidecar) off."
  type = object({
    metric_name     = string
    target_per_task = number
  })
  default = null
}

variable "custom_metric_namespace" {
  description = "CloudWatch namespace of the metrics the sidecar publishes."
  type        = string
  default     = "Sipai"
}

variable "cloudwatch_agent_image" {
  description = "Pinned CloudWatch agent image of the metrics sidecar."
  type        = string
  default     = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300052.0b1024"
}

variable "environment" {
  description = "Plain (non-secret) environment variables of the container."
  type        = map(string)
}

variable "secrets" {
  description = "Secret environment variables: name to Secrets Manager ARN (optionally with :json-key:: suffix) or SSM parameter ARN."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the secrets (the execution role may decrypt with it)."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the service log groups, in days."
  type        = number
  default     = 30
}

variable "task_policy_json" {
  description = "IAM policy JSON of the task role (what the application itself may do, e.g. MSK IAM actions)."
  type        = string
}

variable "stop_timeout_seconds" {
  description = "Seconds between SIGTERM and SIGKILL (Fargate caps it at 120); keep it above DRAIN_TIMEOUT_SEC."
  type        = number
  default     = 60
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "vpc_cidr_block" {
  description = "VPC CIDR (egress to Kafka, PostgreSQL and DNS)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "extra_security_group_ids" {
  description = "Further security groups of the tasks (the shared clients group MSK and RDS admit)."
  type        = list(string)
  default     = []
}

variable "attach_to_load_balancer" {
  description = "Register the tasks in target_group_arn (false for stream-processors)."
  type        = bool
  default     = true
}

variable "alb_security_group_id" {
  description = "Security group of the ALB, allowed to reach container_port."
  type        = string
  default     = null
}

variable "target_group_arn" {
  description = "Target group of the service when attach_to_load_balancer is true."
  type        = string
  default     = null
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the target group (unhealthy-hosts alarm dimension)."
  type        = string
  default     = null
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (unhealthy-hosts alarm dimension)."
  type        = string
  default     = null
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing ALB health checks after a task starts (JVM start, Kafka connect)."
  type        = number
  default     = 90
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  type        = string
}

variable "alarm_cpu_percent" {
  description = "CPU alarm threshold, percent."
  type        = number
  default     = 85
}

variable "alarm_memory_percent" {
  description = "Memory alarm threshold, percent."
  type        = number
  default     = 85
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
