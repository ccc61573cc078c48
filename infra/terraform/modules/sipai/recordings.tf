# Call recordings (RECORDINGS_STORE=s3://<bucket>/recordings/): realtime-edge uploads each call's recording while
# the call runs (a multipart upload, docs/recordings.md); api-gateway serves it by range and deletes it on request
# or when a tenant's retention ends. Only those two task roles reach the bucket, each with what it does: the edge
# writes and never reads, the gateway reads and deletes and never writes.

resource "aws_s3_bucket" "recordings" {
  bucket_prefix = "${local.name}-recordings-"
  tags          = merge(local.tags, { Purpose = "call-recordings" })
}

resource "aws_s3_bucket_public_access_block" "recordings" {
  bucket                  = aws_s3_bucket.recordings.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "recordings" {
  bucket = aws_s3_bucket.recordings.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Encrypted at rest with the platform's KMS key; the services also ask for it on every object (RECORDINGS_S3_SSE).
resource "aws_s3_bucket_server_side_encryption_configuration" "recordings" {
  bucket = aws_s3_bucket.recordings.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

# No versioning on purpose: a deleted recording (DELETE /v1/calls/{id}/recording, retention) must be gone, not kept
# as a noncurrent version.
#tfsec:ignore:aws-s3-enable-versioning
resource "aws_s3_bucket_versioning" "recordings" {
  bucket = aws_s3_bucket.recordings.id
  versioning_configuration {
    status = "Disabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "recordings" {
  bucket = aws_s3_bucket.recordings.id

  # The upload of a call whose edge died is never completed: its parts are dropped a day later.
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # A ceiling over every tenant's retention (api-gateway deletes earlier where a tenant asks for less).
  dynamic "rule" {
    for_each = var.recordings_max_retention_days > 0 ? [var.recordings_max_retention_days] : []
    content {
      id     = "expire-recordings"
      status = "Enabled"
      filter {
        prefix = "recordings/"
      }
      expiration {
        days = rule.value
      }
    }
  }
}

data "aws_iam_policy_document" "recordings_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.recordings.arn,
      "${aws_s3_bucket.recordings.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "recordings" {
  bucket = aws_s3_bucket.recordings.id
  policy = data.aws_iam_policy_document.recordings_bucket.json
}

locals {
  recordings_environment = {
    RECORDINGS_STORE         = "s3://${aws_s3_bucket.recordings.id}/recordings/"
    RECORDINGS_S3_REGION     = local.region
    RECORDINGS_S3_SSE        = "aws:kms"
    RECORDINGS_S3_KMS_KEY_ID = aws_kms_key.this.arn
  }
  recordings_objects = "${aws_s3_bucket.recordings.arn}/recordings/*"
}

data "aws_iam_policy_document" "recordings_write" {
  statement {
    sid       = "UploadRecordings"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [local.recordings_objects]
  }
  statement {
    sid       = "EncryptRecordings"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "recordings_read" {
  statement {
    sid       = "ServeAndDeleteRecordings"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = [local.recordings_objects]
  }
  # Without it S3 answers 403, not 404, for a recording that is gone (deleted by the expiry rule), and the API could
  # not tell a missing recording from a refused one.
  statement {
    sid       = "TellMissingRecordings"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.recordings.arn]
  }
  statement {
    sid       = "DecryptRecordings"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "recordings_edge" {
  name   = "write-recordings"
  role   = module.service["realtime-edge"].task_role_name
  policy = data.aws_iam_policy_document.recordings_write.json
}

resource "aws_iam_role_policy" "recordings_gateway" {
  name   = "read-delete-recordings"
  role   = module.service["api-gateway"].task_role_name
  policy = data.aws_iam_policy_document.recordings_read.json
}
