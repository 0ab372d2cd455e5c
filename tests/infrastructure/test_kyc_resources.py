"""The KYC documents bucket and provider secret as deployed: private, customer-key encrypted, TLS only,
versioned, access logged, rejected documents expiring; each function reaches only what it declares."""

from __future__ import annotations

import json
from typing import Any

from infra_cdk.wiring import DOCUMENTS, FUNCTIONS
from tests.infrastructure.conftest import Synthesized


def _bucket(synthesized: Synthesized) -> dict[str, Any]:
    bucket_id = synthesized.logical_id(synthesized.stack.kyc.by_name["documents"])
    return dict(synthesized.template["Resources"][bucket_id]["Properties"])


def test_the_documents_bucket_is_private_encrypted_versioned_and_logged(synthesized: Synthesized) -> None:
    bucket = _bucket(synthesized)
    key_id = synthesized.logical_id(synthesized.stack.kyc.key)
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert encryption["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    logs_id = synthesized.logical_id(synthesized.stack.kyc.access_logs)
    assert bucket["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}
    assert synthesized.template["Resources"][key_id]["Properties"]["EnableKeyRotation"] is True


def test_rejected_documents_expire(synthesized: Synthesized) -> None:
    rules = {rule["Id"]: rule for rule in _bucket(synthesized)["LifecycleConfiguration"]["Rules"]}
    rejected = rules["rejected-documents"]
    assert rejected["TagFilters"] == [{"Key": "kyc", "Value": "rejected"}]
    assert rejected["ExpirationInDays"] == DOCUMENTS.tagged_expiry_days


def test_the_bucket_refuses_requests_without_tls(synthesized: Synthesized) -> None:
    bucket_id = synthesized.logical_id(synthesized.stack.kyc.by_name["documents"])
    (policy,) = [
        resource["Properties"]["PolicyDocument"]
        for resource in synthesized.resources("AWS::S3::BucketPolicy").values()
        if resource["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in policy["Statement"]
    )


def test_functions_reach_documents_only_as_declared(synthesized: Synthesized) -> None:
    bucket_id = synthesized.logical_id(synthesized.stack.kyc.by_name["documents"])
    granted: dict[str, set[str]] = {}
    for spec in FUNCTIONS:
        for statement in synthesized.role_statements(spec.name):
            if bucket_id in json.dumps(statement.get("Resource")):
                actions = statement["Action"]
                granted.setdefault(spec.name, set()).update(
                    [actions] if isinstance(actions, str) else actions
                )
                if actions == "s3:ListBucketVersions":  # the bucket's listing, under the prefix only
                    assert statement["Condition"] == {"StringLike": {"s3:prefix": ["kyc/*"]}}
                else:
                    assert json.dumps(statement["Resource"]).endswith('/kyc/*"]]}')
    erasing = {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"}
    assert granted == {
        "kyc": {"s3:GetObject", "s3:PutObject"},
        "kyc_webhook": {"s3:PutObjectTagging"},
        "admin_kyc": {"s3:GetObject", "s3:PutObjectTagging"},
        "profile": erasing,
        "erasure_sweeper": erasing,
    }


def test_only_the_kyc_functions_read_the_provider_secret(synthesized: Synthesized) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.kyc.provider_secret)
    assert synthesized.secret_readers(secret_id) == {"kyc", "kyc_webhook", "kyc_worker"}
