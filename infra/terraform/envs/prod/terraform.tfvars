domain_name        = "voice.example.com"
route53_zone_name  = "example.com"
image_tag          = "0000000000000000000000000000000000000000"
github_repository  = "sipai/sipai"
state_bucket       = "sipai-terraform-state-123456789012"
state_kms_key_arns = ["arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
alarm_emails       = []

service_sizes = {
  "api-gateway"        = { cpu = 1024, memory = 2048, desired = 2, min = 2, max = 10 }
  "realtime-edge"      = { cpu = 2048, memory = 4096, desired = 2, min = 2, max = 40 }
  "webhook-dispatcher" = { cpu = 512, memory = 1024, desired = 2, min = 2, max = 6 }
  "stream-processors"  = { cpu = 1024, memory = 2048, desired = 2, min = 2, max = 6 }
}
