resource "aws_secretsmanager_secret" "this" {
  for_each                = toset(var.secret_names)
  name                    = "${var.path_prefix}/${each.value}"
  description             = "sipai ${each.value}; the value is set by an operator (docs/deploy.md), never by Terraform."
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = merge(var.tags, { EnvVar = each.value })
}
