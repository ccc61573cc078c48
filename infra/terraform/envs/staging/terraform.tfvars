domain_name         = "staging.voice.example.com"
route53_zone_name   = "example.com"
image_tag           = "0000000000000000000000000000000000000000"
github_repository   = "sipai/sipai"
state_bucket        = "sipai-terraform-state-123456789012"
state_kms_key_arns  = ["arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
deletion_protection = false
alarm_emails        = []

service_sizes = {
  "api-gateway"        = { cpu = 512, memory = 1024, desired = 1, min = 1, max = 3 }
  "realtime-edge"      = { cpu = 1024, memory = 2048, desired = 1, min = 1, max = 4 }
  "webhook-dispatcher" = { cpu = 256, memory = 512, desired = 1, min = 1, max = 2 }
  "stream-processors"  = { cpu = 512, memory = 1024, desired = 1, min = 1, max = 2 }
}
