# S3 + DynamoDB backend of the staging environment (created by infra/terraform/bootstrap).
# Replace the bucket name with the bootstrap output state_bucket before the first init.
bucket         = "sipai-terraform-state-123456789012"
key            = "sipai/staging/terraform.tfstate"
region         = "eu-west-1"
dynamodb_table = "sipai-terraform-locks"
encrypt        = true
