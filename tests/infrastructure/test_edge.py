"""The edge (spec §9): CloudFront in front of the HTTP API with the origin secret, AWS WAF's per-IP rate
rule and common rule set on it, and the functions able to check the secret."""

from __future__ import annotations

from typing import Any

from infra_cdk.wiring import EDGE, FUNCTIONS
from tests.infrastructure.conftest import Synthesized
from twtc_core.edge import ORIGIN_SECRET_HEADER


def only(synthesized: Synthesized, resource_type: str) -> dict[str, Any]:
    (resource,) = synthesized.resources(resource_type).values()
    return dict(resource["Properties"])


def test_the_web_acl_limits_each_ip_to_100_requests_a_minute_with_the_spec_429(
    synthesized: Synthesized,
) -> None:
    acl = only(synthesized, "AWS::WAFv2::WebACL")
    assert acl["Scope"] == "CLOUDFRONT"
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    rate = rules["requests-per-ip"]
    assert rate["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": 100,
        "EvaluationWindowSec": 60,
    }
    response = rate["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    assert {"Name": "Retry-After", "Value": "60"} in response["ResponseHeaders"]
    body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON" and '"code": "rate_limited"' in body["Content"]
    assert rules["aws-common-rule-set"]["Statement"]["ManagedRuleGroupStatement"] == {
        "VendorName": "AWS",
        "Name": "AWSManagedRulesCommonRuleSet",
    }


def test_the_stack_refuses_any_region_but_us_east_1(synthesized: Synthesized) -> None:
    (assertion,) = synthesized.template["Rules"][
        synthesized.stack.get_logical_id(synthesized.stack.edge.region_rule)
    ]["Assertions"]
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}


def test_the_distribution_fronts_the_api_with_the_origin_secret_and_the_web_acl(
    synthesized: Synthesized,
) -> None:
    config = only(synthesized, "AWS::CloudFront::Distribution")["DistributionConfig"]
    # The API is the default behaviour's origin (the admin console's bucket is the other one).
    (origin,) = [o for o in config["Origins"] if o["Id"] == config["DefaultCacheBehavior"]["TargetOriginId"]]
    api_id = synthesized.logical_id(synthesized.stack.http_api.api)
    assert origin["DomainName"]["Fn::Select"][1]["Fn::Split"][1]["Fn::GetAtt"] == [api_id, "ApiEndpoint"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    (secret_header,) = origin["OriginCustomHeaders"]
    secret_id = synthesized.logical_id(synthesized.stack.edge.origin_secret)
    assert secret_header["HeaderName"] == ORIGIN_SECRET_HEADER
    assert {"Ref": secret_id} in secret_header["HeaderValue"]["Fn::Join"][1]  # {{resolve:secretsmanager:…}}
    assert config["WebACLId"] == {
        "Fn::GetAtt": [synthesized.stack.get_logical_id(synthesized.stack.edge.web_acl), "Arn"]
    }
    behavior = config["DefaultCacheBehavior"]
    assert behavior["Compress"] is True and behavior["ViewerProtocolPolicy"] == "https-only"


def test_v1_is_never_cached_and_the_viewer_address_and_location_reach_the_api(
    synthesized: Synthesized,
) -> None:
    cache = only(synthesized, "AWS::CloudFront::CachePolicy")["CachePolicyConfig"]
    assert (cache["DefaultTTL"], cache["MinTTL"]) == (0, 0)
    assert cache["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"] == ["Authorization"]
    forwarded = only(synthesized, "AWS::CloudFront::OriginRequestPolicy")["OriginRequestPolicyConfig"]
    headers = forwarded["HeadersConfig"]
    assert headers["HeaderBehavior"] == "whitelist"
    assert {
        "cloudfront-viewer-address",
        "cloudfront-viewer-country",
        "cloudfront-viewer-latitude",
        "cloudfront-viewer-longitude",
        "idempotency-key",  # withdrawals and adjustments honour it (issue 12)
    } <= {header.lower() for header in headers["Headers"]}
    assert "host" not in {
        header.lower() for header in headers["Headers"]
    }  # API Gateway answers only to its own host name
    assert len(EDGE.forwarded_headers) <= 10  # CloudFront's quota per origin request policy


def test_every_http_api_function_can_read_the_origin_secret_and_no_other(synthesized: Synthesized) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.edge.origin_secret)
    for spec in FUNCTIONS:
        environment = synthesized.template["Resources"][synthesized.function_id(spec.name)]["Properties"].get(
            "Environment", {}
        )["Variables"]
        reads_secret = any(
            statement["Resource"] == {"Ref": secret_id}
            for statement in synthesized.role_statements(spec.name)
        )
        has_routes = bool(spec.routes)
        assert (environment.get("CLOUDFRONT_ORIGIN_SECRET_ID") == {"Ref": secret_id}) is has_routes, spec.name
        assert reads_secret is has_routes, spec.name
