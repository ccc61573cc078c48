output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "alb_security_group_id" {
  description = "Security group of the load balancer; services allow ingress from it."
  value       = aws_security_group.alb.id
}

output "target_group_arns" {
  description = "Target-group ARNs by service name."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target-group ARN suffixes by service name (CloudWatch dimension TargetGroup)."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "fqdn" {
  description = "Public host name served by the load balancer."
  value       = var.domain_name
}
