"""The admin console on CloudFront (issue 14): a private bucket only the distribution reads (origin access
control), the `/admin` behaviours with the SPA fallback function and the security headers, the build
uploaded under `admin/`, and the API's own behaviour untouched."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from infra_cdk.app import main
from infra_cdk.constructs import admin_console
from infra_cdk.constructs.admin_console import viewer_request_code
from infra_cdk.wiring import ADMIN_CONSOLE
from tests.infrastructure.conftest import Synthesized


def viewer_request(uri: str) -> dict[str, Any]:
    """What the deployed function's code answers for a GET of `uri`, run by node."""
    event = {"request": {"method": "GET", "uri": uri, "querystring": {}, "headers": {}, "cookies": {}}}
    script = (
        f"{viewer_request_code(ADMIN_CONSOLE)}\nconsole.log(JSON.stringify(handler({json.dumps(event)})));"
    )
    answered = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return dict(json.loads(answered.stdout))


def _resource(synthesized: Synthesized, logical_id: str) -> dict[str, Any]:
    return dict(synthesized.template["Resources"][logical_id]["Properties"])


def _distribution_config(synthesized: Synthesized) -> dict[str, Any]:
    return dict(
        _resource(synthesized, synthesized.logical_id(synthesized.stack.edge.distribution))[
            "DistributionConfig"
        ]
    )


def _console_behaviours(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        behaviour["PathPattern"]: behaviour
        for behaviour in _distribution_config(synthesized)["CacheBehaviors"]
    }


def _deployments(synthesized: Synthesized) -> list[dict[str, Any]]:
    return [
        resource["Properties"] for resource in synthesized.resources("Custom::CDKBucketDeployment").values()
    ]


def test_the_bare_console_path_moves_permanently_to_the_one_with_a_slash() -> None:
    answer = viewer_request("/admin")
    assert answer["statusCode"] == 301
    assert answer["headers"]["location"] == {"value": "/admin/"}


@pytest.mark.parametrize("uri", ["/admin/", "/admin/users/42"])
def test_the_apps_routes_answer_its_index_page(uri: str) -> None:
    assert viewer_request(uri)["uri"] == "/admin/index.html"


def test_a_file_of_the_build_is_asked_for_as_it_is() -> None:
    assert viewer_request("/admin/assets/index-abc.js")["uri"] == "/admin/assets/index-abc.js"


def test_without_a_build_synthesis_stops_with_one_line_saying_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given a checkout in which the admin console was never built
    monkeypatch.setattr(admin_console, "ROOT", tmp_path)
    # When the CDK app runs, as `cdk synth` does
    with pytest.raises(SystemExit) as exited:
        main(App(context={"aws:cdk:disable-asset-staging": True}))
    # Then it exits with one line that says what to run, not a traceback
    assert exited.value.code == (
        "build the admin console first: make admin-console (admin_console/dist/index.html is missing)"
    )


def test_the_bucket_is_private_and_only_the_distribution_reads_it(synthesized: Synthesized) -> None:
    console = synthesized.stack.admin_console
    bucket_id = synthesized.logical_id(console.bucket)
    bucket = _resource(synthesized, bucket_id)
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "WebsiteConfiguration" not in bucket
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    (policy,) = [
        resource["Properties"]["PolicyDocument"]["Statement"]
        for resource in synthesized.resources("AWS::S3::BucketPolicy").values()
        if resource["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    allowed = [statement for statement in policy if statement["Effect"] == "Allow"]
    assert [statement["Principal"] for statement in allowed] == [{"Service": "cloudfront.amazonaws.com"}]
    (reader,) = allowed
    assert reader["Action"] == "s3:GetObject"
    distribution_id = synthesized.logical_id(synthesized.stack.edge.distribution)
    assert {"Ref": distribution_id} in reader["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Join"][1]
    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in policy
    )


def test_the_console_paths_reach_the_bucket_through_origin_access_control(synthesized: Synthesized) -> None:
    behaviours = _console_behaviours(synthesized)
    assert set(behaviours) == {"/admin/*", "/admin"}
    origins = {origin["Id"]: origin for origin in _distribution_config(synthesized)["Origins"]}
    bucket_id = synthesized.logical_id(synthesized.stack.admin_console.bucket)
    rewrite_id = synthesized.logical_id(synthesized.stack.admin_console.rewrite)
    for behaviour in behaviours.values():
        origin = origins[behaviour["TargetOriginId"]]
        assert origin["DomainName"] == {"Fn::GetAtt": [bucket_id, "RegionalDomainName"]}
        (access_control,) = origin["OriginAccessControlId"]["Fn::GetAtt"][:1]
        assert (
            synthesized.template["Resources"][access_control]["Type"]
            == "AWS::CloudFront::OriginAccessControl"
        )
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["Compress"] is True
        assert (
            behaviour["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
        )  # Managed-CachingOptimized
        assert behaviour["FunctionAssociations"] == [
            {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [rewrite_id, "FunctionARN"]}}
        ]
    function = _resource(synthesized, rewrite_id)
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["FunctionCode"] == viewer_request_code(ADMIN_CONSOLE)


def test_the_console_is_served_with_the_declared_security_headers(synthesized: Synthesized) -> None:
    headers_id = synthesized.logical_id(synthesized.stack.admin_console.headers)
    for behaviour in _console_behaviours(synthesized).values():
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": headers_id}
    security = _resource(synthesized, headers_id)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"] == {
        "ContentSecurityPolicy": ADMIN_CONSOLE.content_security_policy,
        "Override": True,
    }
    assert security["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 2 * 365 * 24 * 3600,
        "IncludeSubdomains": True,
        "Override": True,
    }
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert security["ReferrerPolicy"] == {
        "ReferrerPolicy": "strict-origin-when-cross-origin",
        "Override": True,
    }


def test_the_build_is_uploaded_under_admin_hashed_files_cached_long_pages_revalidated(
    synthesized: Synthesized,
) -> None:
    bucket_id = synthesized.logical_id(synthesized.stack.admin_console.bucket)
    deployments = {
        tuple(deployment.get("Include", ())): deployment for deployment in _deployments(synthesized)
    }
    assert set(deployments) == {("assets/*",), ()}
    hashed, pages = deployments[("assets/*",)], deployments[()]
    for deployment in (hashed, pages):
        assert deployment["DestinationBucketName"] == {"Ref": bucket_id}
        assert deployment["DestinationBucketKeyPrefix"] == "admin/"
    assert (
        hashed["Exclude"] == ["*"] and hashed["Prune"] is False
    )  # a page loaded before a deploy keeps its chunks
    assert hashed["SystemMetadata"]["cache-control"] == (
        f"public, max-age={ADMIN_CONSOLE.asset_cache_seconds}, immutable"
    )
    assert pages["Exclude"] == ["assets/*"] and pages.get("Prune", True) is True
    assert pages["SystemMetadata"]["cache-control"] == "no-cache"
    distribution_id = synthesized.logical_id(synthesized.stack.edge.distribution)
    assert pages["DistributionId"] == {"Ref": distribution_id}
    assert pages["DistributionPaths"] == ["/admin/*"]


def test_the_apis_behaviour_is_unchanged(synthesized: Synthesized) -> None:
    config = _distribution_config(synthesized)
    default = config["DefaultCacheBehavior"]
    edge = synthesized.stack.edge.node
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    api_origin = origins[default["TargetOriginId"]]["CustomOriginConfig"]
    assert api_origin["OriginProtocolPolicy"] == "https-only"
    assert default["ViewerProtocolPolicy"] == "https-only"
    assert default["AllowedMethods"] == ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
    assert default["CachePolicyId"] == {"Ref": synthesized.logical_id(edge.find_child("ApiCachePolicy"))}
    assert default["OriginRequestPolicyId"] == {
        "Ref": synthesized.logical_id(edge.find_child("ApiOriginRequestPolicy"))
    }
    assert "FunctionAssociations" not in default and "ResponseHeadersPolicyId" not in default
    assert "CustomErrorResponses" not in config  # the API's own 403/404 error bodies reach the client
