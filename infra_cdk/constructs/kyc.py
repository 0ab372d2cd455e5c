"""KYC's resources: the documents bucket (private, under a customer KMS key, TLS only, versioned, access
logged, rejected documents expiring) and the provider's secret (base URL, API key, webhook secret)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge, construct_id, logical_id
from infra_cdk.wiring import KYC_PROVIDER_SECRET_ENV_VAR, BucketAccess, BucketSpec

# Versions a client overwrote (never the current one) are kept this long for recovery, then deleted.
NONCURRENT_VERSION_DAYS = 30
ACCESS_LOG_DAYS = 365
# What each access allows on the objects, and on the documents' KMS key.
S3_ACTIONS: dict[BucketAccess, tuple[str, ...]] = {
    "read": ("s3:GetObject",),  # also HeadObject and presigned GETs
    "upload": ("s3:PutObject",),  # what a presigned POST form is signed for
    "tag": ("s3:PutObjectTagging",),
    "erase": ("s3:DeleteObject", "s3:DeleteObjectVersion"),
}
KMS_ACTIONS: dict[BucketAccess, tuple[str, ...]] = {
    "read": ("kms:Decrypt",),
    "upload": ("kms:GenerateDataKey",),
    "tag": (),
    "erase": (),
}


class Kyc(Construct):
    def __init__(self, scope: Construct, id: str, *, buckets: Sequence[BucketSpec]) -> None:
        super().__init__(scope, id)
        self.key = kms.Key(
            self, "DocumentsKey", description="Encrypts KYC identity documents", enable_key_rotation=True
        )
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # S3 server access logging cannot write under KMS
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(ACCESS_LOG_DAYS))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.access_logs, "This is the access-log bucket itself; it does not log into itself.", "S1"
        )
        self._specs = {spec.name: spec for spec in buckets}
        self.by_name = {spec.name: self._bucket(spec) for spec in buckets}
        self.provider_secret = secretsmanager.Secret(
            self,
            "ProviderSecret",
            description="KYC provider: base_url, api_key (set by operators) and the webhook HMAC secret",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"base_url": "https://provider.invalid", "api_key": ""}),
                generate_string_key="webhook_secret",
                password_length=64,
                exclude_punctuation=True,
            ),
        )
        acknowledge(
            self.provider_secret,
            "The provider issues the API key and webhook secret; they are rotated with the provider by "
            "updating the secret, not by a rotation Lambda.",
            "SMG4",
        )

    def _bucket(self, spec: BucketSpec) -> s3.Bucket:
        tag_key, tag_value = spec.expiring_tag
        return s3.Bucket(
            self,
            construct_id(spec.name),
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=f"{spec.name}/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="rejected-documents",
                    tag_filters={tag_key: tag_value},
                    expiration=Duration.days(spec.tagged_expiry_days),
                    noncurrent_version_expiration=Duration.days(1),
                ),
                s3.LifecycleRule(
                    id="overwritten-versions",
                    noncurrent_version_expiration=Duration.days(NONCURRENT_VERSION_DAYS),
                ),
            ],
            removal_policy=RemovalPolicy.RETAIN,
        )

    def grant(self, function: lambda_.Function, name: str, access: Sequence[BucketAccess]) -> None:
        """Exactly the declared actions on objects under the bucket's key prefix, the key uses they need,
        and the bucket's name in the function's environment."""
        bucket, spec = self.by_name[name], self._specs[name]
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=sorted({action for each in access for action in S3_ACTIONS[each]}),
                resources=[bucket.arn_for_objects(f"{spec.key_prefix}*")],
            )
        )
        if "erase" in access:
            # Finding a user's versions lists the bucket, only under the documents' prefix.
            function.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["s3:ListBucketVersions"],
                    resources=[bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{spec.key_prefix}*"]}},
                )
            )
        key_actions = sorted({action for each in access for action in KMS_ACTIONS[each]})
        if key_actions:
            self.key.grant(function, *key_actions)
        function.add_environment(spec.env_var, bucket.bucket_name)
        acknowledge(
            function.role or function,
            f"Objects under the {name} bucket's {spec.key_prefix} prefix (each user's documents are under "
            "their own id, which only the request knows).",
            f"IAM5[Resource::<{logical_id(bucket)}.Arn>/{spec.key_prefix}*]",
        )

    def grant_provider_secret(self, function: lambda_.Function) -> None:
        function.add_environment(KYC_PROVIDER_SECRET_ENV_VAR, self.provider_secret.secret_arn)
        self.provider_secret.grant_read(function)
