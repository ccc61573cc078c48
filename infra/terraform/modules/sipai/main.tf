data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  name      = "sipai-${var.env_name}"
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  tags      = merge(var.tags, { Project = "sipai", Environment = var.env_name, ManagedBy = "terraform" })
  base_url  = "https://${var.domain_name}"

  services = {
    "api-gateway" = {
      port                 = 8080
      short_name           = "api"
      on_alb               = true
      sticky               = false
      deregistration_delay = 30
      drain_seconds        = 30
    }
    "realtime-edge" = {
      port                 = 8081
      short_name           = "rt"
      on_alb               = true
      sticky               = true
      deregistration_delay = var.realtime_drain_window_seconds
      drain_seconds        = var.realtime_drain_timeout_seconds
    }
    "webhook-dispatcher" = {
      port                 = 8082
      short_name           = "wh"
      on_alb               = true
      sticky               = false
      deregistration_delay = 30
      drain_seconds        = 30
    }
    "stream-processors" = {
      port                 = 8083
      short_name           = "sp"
      on_alb               = false
      sticky               = false
      deregistration_delay = 30
      drain_seconds        = 30
    }
  }

  images = concat(keys(local.services), ["launcher"])

  common_environment = {
    REALTIME_WS_URL                        = "wss://${var.domain_name}"
    WEBHOOK_API_BASE_URL                   = local.base_url
    TELEPHONY_WEBHOOK_BASE_URL             = local.base_url
    KAFKA_BOOTSTRAP_SERVERS                = module.msk.bootstrap_brokers_sasl_iam
    KAFKA_SECURITY_PROTOCOL                = "SASL_SSL"
    KAFKA_SASL_MECHANISM                   = "AWS_MSK_IAM"
    KAFKA_REPLICATION_FACTOR               = "3"
    OPENAI_BASE_URL                        = var.openai_base_url
    JAMBONZ_OUTCALL_URL                    = var.jambonz_outcall_url
    TELEPHONY_GLOBAL_MAX_CONCURRENCY       = tostring(var.telephony_global_max_concurrency)
    TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY = tostring(var.telephony_per_campaign_max_concurrency)
    TELEPHONY_SEMAPHORE_TTL_SEC            = tostring(var.telephony_semaphore_ttl_seconds)
    MAX_CONCURRENT_CALLS                   = tostring(var.max_concurrent_calls)
    LOG_LEVEL                              = var.log_level
    ENABLE_METRICS                         = "true"
    OTEL_EXPORTER_OTLP_ENDPOINT            = var.otel_exporter_otlp_endpoint
  }

  # The password is not injected at task start: the service reads the RDS-managed secret itself and again after
  # each rotation (docs/deploy.md#database-password-rotation).
  database_environment = {
    DB_URL        = module.rds.jdbc_url
    DB_USER       = module.rds.master_username
    DB_SECRET_ARN = module.rds.master_user_secret_arn
  }

  cluster_arn_prefix = "arn:${local.partition}:kafka:${local.region}:${local.account}"
  kafka_scope        = "${module.msk.cluster_name}/${module.msk.cluster_uuid}"

  # ARN prefixes for the Kafka policy templates in kafka-policies/<principal>.json.tftpl: each principal's MSK IAM
  # grants (topics, groups, transactional ids), rendered from the ownership table in schemas
  # (io.sipai.schemas.TopicOwnership) and checked against it by infra's KafkaLeastPrivilegeTest. Nothing else in
  # Terraform grants kafka-cluster actions (docs/security.md#least-privilege-per-service).
  kafka_arns = {
    cluster          = module.msk.cluster_arn
    topic            = "${local.cluster_arn_prefix}:topic/${local.kafka_scope}"
    group            = "${local.cluster_arn_prefix}:group/${local.kafka_scope}"
    transactional_id = "${local.cluster_arn_prefix}:transactional-id/${local.kafka_scope}"
  }
}

resource "aws_kms_key" "this" {
  description             = "sipai ${var.env_name}: logs, secrets, images, Kafka, database, alarms"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:/sipai/*"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsToSns"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

module "network" {
  source             = "../network"
  name               = local.name
  cidr_block         = var.vpc_cidr_block
  az_count           = var.az_count
  data_az_count      = var.data_az_count
  single_nat_gateway = var.single_nat_gateway
  log_retention_days = var.log_retention_days
  logs_kms_key_arn   = aws_kms_key.this.arn
  tags               = local.tags
}

resource "aws_security_group" "tasks" {
  name        = "${local.name}-kafka-db-clients"
  description = "Shared group of sipai tasks: admitted by MSK and RDS"
  vpc_id      = module.network.vpc_id
  tags        = local.tags
}

resource "aws_ecs_cluster" "this" {
  name = local.name
  tags = local.tags

  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

module "ecr" {
  source       = "../ecr"
  name_prefix  = "sipai-${var.env_name}"
  repositories = local.images
  keep_images  = var.ecr_keep_images
  kms_key_arn  = aws_kms_key.this.arn
  tags         = local.tags
}

module "secrets" {
  source       = "../secrets"
  path_prefix  = "sipai/${var.env_name}"
  secret_names = distinct(flatten(values(var.service_secrets)))
  kms_key_arn  = aws_kms_key.this.arn
  tags         = local.tags
}

module "alb" {
  source               = "../alb"
  name                 = local.name
  vpc_id               = module.network.vpc_id
  vpc_cidr_block       = module.network.vpc_cidr_block
  public_subnet_ids    = module.network.public_subnet_ids
  domain_name          = var.domain_name
  route53_zone_name    = var.route53_zone_name
  idle_timeout_seconds = var.alb_idle_timeout_seconds
  access_logs_bucket   = var.alb_access_logs_bucket
  deletion_protection  = var.deletion_protection
  tags                 = local.tags
  routes = [
    {
      priority = 10
      paths    = ["/realtime/*", "/v1/realtime/*", "/telephony/twilio/stream", "/telephony/jambonz/listen", "/telephony/jambonz/transfer/*"]
      target   = "realtime-edge"
    },
    {
      priority = 20
      paths    = ["/webhooks/*"]
      target   = "webhook-dispatcher"
    },
    {
      priority = 30
      paths    = ["/v1/*", "/telephony/*"]
      target   = "api-gateway"
    },
  ]
  targets = {
    for k, s in local.services : k => {
      port                 = s.port
      short_name           = s.short_name
      deregistration_delay = s.deregistration_delay
      sticky               = s.sticky
    } if s.on_alb
  }
}

module "msk" {
  source                    = "../msk"
  name                      = local.name
  mode                      = var.msk_mode
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [aws_security_group.tasks.id]
  broker_count              = var.msk_broker_count
  broker_instance_type      = var.msk_broker_instance_type
  broker_volume_gb          = var.msk_broker_volume_gb
  kms_key_arn               = aws_kms_key.this.arn
  logs_kms_key_arn          = aws_kms_key.this.arn
  log_retention_days        = var.log_retention_days
  tags                      = local.tags
}

module "rds" {
  source                    = "../rds"
  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [aws_security_group.tasks.id]
  instance_class            = var.db_instance_class
  multi_az                  = var.db_multi_az
  backup_retention_days     = var.db_backup_retention_days
  deletion_protection       = var.deletion_protection
  kms_key_arn               = aws_kms_key.this.arn
  tags                      = local.tags
}

module "service" {
  source   = "../ecs-service"
  for_each = local.services

  name                      = each.key
  env_name                  = var.env_name
  cluster_arn               = aws_ecs_cluster.this.arn
  cluster_name              = aws_ecs_cluster.this.name
  image                     = "${module.ecr.repository_urls[each.key]}:${var.image_tag}"
  ecr_repository_arn        = module.ecr.repository_arns[each.key]
  container_port            = each.value.port
  cpu                       = var.service_sizes[each.key].cpu
  memory                    = var.service_sizes[each.key].memory
  desired_count             = var.service_sizes[each.key].desired
  min_count                 = var.service_sizes[each.key].min
  max_count                 = var.service_sizes[each.key].max
  scale_in_cooldown_seconds = each.key == "realtime-edge" ? var.realtime_scale_in_cooldown_seconds : 300
  stop_timeout_seconds      = min(each.value.drain_seconds + 15, 120)
  vpc_id                    = module.network.vpc_id
  vpc_cidr_block            = module.network.vpc_cidr_block
  subnet_ids                = module.network.private_subnet_ids
  extra_security_group_ids  = [aws_security_group.tasks.id]
  attach_to_load_balancer   = each.value.on_alb
  alb_security_group_id     = module.alb.alb_security_group_id
  target_group_arn          = each.value.on_alb ? module.alb.target_group_arns[each.key] : null
  target_group_arn_suffix   = each.value.on_alb ? module.alb.target_group_arn_suffixes[each.key] : null
  alb_arn_suffix            = module.alb.alb_arn_suffix
  kms_key_arn               = aws_kms_key.this.arn
  logs_kms_key_arn          = aws_kms_key.this.arn
  log_retention_days        = var.log_retention_days
  task_policy_json          = templatefile(format("%s/kafka-policies/%s.json.tftpl", path.module, each.key), local.kafka_arns)
  alarm_topic_arn           = aws_sns_topic.alarms.arn
  tags                      = merge(local.tags, { Service = each.key })

  active_calls_autoscaling = each.key == "realtime-edge" ? {
    metric_name     = var.active_calls_metric_name
    target_per_task = var.active_calls_target_per_task
  } : null

  environment = merge(
    local.common_environment,
    contains(var.services_with_database, each.key) ? local.database_environment : {},
    { DRAIN_TIMEOUT_SEC = tostring(each.value.drain_seconds) },
    contains(["realtime-edge", "api-gateway"], each.key) ? local.recordings_environment : {},
    each.key == "stream-processors" ? { PROCESSORS_SESSION_TIMEOUT_MS = tostring(max(2000, module.msk.min_session_timeout_ms)) } : {},
  )

  secrets = { for s in var.service_secrets[each.key] : s => module.secrets.secret_arns[s] }
}

# The services with a database read the RDS-managed master user secret at run time (DB_SECRET_ARN): their task
# role may read that one secret, and decrypt it only through Secrets Manager.
data "aws_iam_policy_document" "database_secret" {
  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [module.rds.master_user_secret_arn]
  }

  statement {
    sid       = "DecryptDatabaseSecret"
    actions   = ["kms:Decrypt"]
    resources = [module.rds.master_user_secret_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "database_secret" {
  for_each = toset(var.services_with_database)
  name     = "read-database-secret"
  role     = module.service[each.key].task_role_name
  policy   = data.aws_iam_policy_document.database_secret.json
}

resource "aws_cloudwatch_log_group" "topic_init" {
  name              = "/sipai/${var.env_name}/ecs/topic-init"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "topic_init_execution" {
  name               = "${var.env_name}-topic-init-execution"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "topic_init_execution" {
  #tfsec:ignore:aws-iam-no-policy-wildcards ecr:GetAuthorizationToken has no resource-level permissions
  statement {
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [module.ecr.repository_arns["launcher"]]
  }

  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.topic_init.arn}:*"]
  }
}

resource "aws_iam_role_policy" "topic_init_execution" {
  name   = "pull-image-write-logs"
  role   = aws_iam_role.topic_init_execution.id
  policy = data.aws_iam_policy_document.topic_init_execution.json
}

resource "aws_iam_role" "topic_init_task" {
  name               = "${var.env_name}-topic-init-task"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "topic_init_task" {
  name   = "create-topics"
  role   = aws_iam_role.topic_init_task.id
  policy = templatefile("${path.module}/kafka-policies/topic-init.json.tftpl", local.kafka_arns)
}

resource "aws_ecs_task_definition" "topic_init" {
  family                   = "${var.env_name}-topic-init"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.topic_init_execution.arn
  task_role_arn            = aws_iam_role.topic_init_task.arn
  tags                     = local.tags
  container_definitions = jsonencode([
    {
      name                   = "topic-init"
      image                  = "${module.ecr.repository_urls["launcher"]}:${var.image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      user                   = "10001:10001"
      command                = ["create-topics"]
      environment = [
        { name = "KAFKA_BOOTSTRAP_SERVERS", value = module.msk.bootstrap_brokers_sasl_iam },
        { name = "KAFKA_SECURITY_PROTOCOL", value = "SASL_SSL" },
        { name = "KAFKA_SASL_MECHANISM", value = "AWS_MSK_IAM" },
        { name = "KAFKA_REPLICATION_FACTOR", value = "3" },
      ]
      mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.topic_init.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "topic-init"
        }
      }
    }
  ])

  volume {
    name = "tmp"
  }
}

resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-alarms"
  kms_master_key_id = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  for_each = {
    elb    = "HTTPCode_ELB_5XX_Count"
    target = "HTTPCode_Target_5XX_Count"
  }
  alarm_name          = "${local.name}-alb-${each.key}-5xx"
  alarm_description   = "sipai ${var.env_name}: more than ${var.alarm_alb_5xx_per_minute} ${each.value} per minute for 5 minutes. Runbook: docs/deploy.md#alarm-alb-5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = each.value
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = var.alarm_alb_5xx_per_minute
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = local.tags

  dimensions = {
    LoadBalancer = module.alb.alb_arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "consumer_lag" {
  for_each            = { for c in var.consumer_lag_alarms : format("%s/%s", c.consumer_group, c.topic) => c }
  alarm_name          = "${local.name}-lag-${replace(each.key, "/", "-")}"
  alarm_description   = "sipai ${var.env_name}: consumer group ${each.value.consumer_group} is more than ${each.value.max_offset_lag} records behind on ${each.value.topic} for 10 minutes. Runbook: docs/deploy.md#alarm-consumer-lag"
  namespace           = "AWS/Kafka"
  metric_name         = "MaxOffsetLag"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 10
  threshold           = each.value.max_offset_lag
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = local.tags

  dimensions = {
    "Cluster Name"   = module.msk.cluster_name
    "Consumer Group" = each.value.consumer_group
    Topic            = each.value.topic
  }
}

module "github_oidc" {
  source                 = "../github-oidc"
  create_oidc_provider   = var.create_github_oidc_provider
  repository             = var.github_repository
  branches               = var.github_branches
  allow_tags             = var.github_allow_tags
  environments           = [var.env_name]
  role_name              = "${local.name}-github-deploy"
  region                 = local.region
  ecr_repository_arns    = values(module.ecr.repository_arns)
  ecs_cluster_name       = aws_ecs_cluster.this.name
  ecs_cluster_arn        = aws_ecs_cluster.this.arn
  ecs_service_names      = [for s in module.service : s.service_name]
  topic_init_task_family = aws_ecs_task_definition.topic_init.family
  pass_role_arns = concat(
    [for s in module.service : s.task_role_arn],
    [for s in module.service : s.execution_role_arn],
    [aws_iam_role.topic_init_task.arn, aws_iam_role.topic_init_execution.arn],
  )
  log_group_arns     = [aws_cloudwatch_log_group.topic_init.arn]
  state_bucket       = var.state_bucket
  state_key          = var.state_key
  lock_table         = var.state_lock_table
  state_kms_key_arns = var.state_kms_key_arns
  tags               = local.tags
}
