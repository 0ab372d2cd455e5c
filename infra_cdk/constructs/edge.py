"""The edge in front of the HTTP API (spec §9): a CloudFront distribution that never caches `/v1`,
forwards the viewer's address and location, compresses, and adds the origin secret the functions check
(`twtc_core.edge`); and the AWS WAF web ACL on it: the per-IP rate-based rule and AWS's common rule set.

A CLOUDFRONT-scope web ACL exists only in us-east-1, so the stack is deployed there (docs/decisions.md);
a CloudFormation rule refuses any other region before anything is created.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from aws_cdk import Aws, CfnRule, CfnRuleAssertion, Duration, Fn
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge
from infra_cdk.wiring import EdgeSpec
from twtc_core.edge import ORIGIN_SECRET_HEADER

WAF_REGION = "us-east-1"
RATE_LIMITED_BODY = "rate_limited"


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


class Edge(Construct):
    def __init__(self, scope: Construct, id: str, *, api: apigw.HttpApi, spec: EdgeSpec) -> None:
        super().__init__(scope, id)
        self.region_rule = CfnRule(
            self,
            "DeployedInUsEast1",
            assertions=[
                CfnRuleAssertion(
                    assert_=Fn.condition_equals(Aws.REGION, WAF_REGION),
                    assert_description=f"The CloudFront web ACL (WAF) can only be created in {WAF_REGION}.",
                )
            ],
        )
        self.origin_secret = secretsmanager.Secret(
            self,
            "OriginSecret",
            description=f"Sent by CloudFront as {ORIGIN_SECRET_HEADER}: proof a request came through it",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True
            ),
        )
        acknowledge(
            self.origin_secret,
            "Rotating the origin secret means redeploying the distribution's origin header together with "
            "the functions (a deliberate, documented step), not an unattended rotation Lambda.",
            "SMG4",
        )
        self.web_acl = self._web_acl(spec)
        self.distribution = self._distribution(api, spec)

    def admit(self, functions: Iterable[lambda_.Function]) -> None:
        """The HTTP API's functions: they read the origin secret to refuse requests that skip CloudFront."""
        for function in functions:
            function.add_environment("CLOUDFRONT_ORIGIN_SECRET_ID", self.origin_secret.secret_arn)
            self.origin_secret.grant_read(function)

    def _web_acl(self, spec: EdgeSpec) -> wafv2.CfnWebACL:
        rate_limited = {
            "error": {
                "code": "rate_limited",
                "message": "Too many requests from this address; try again later.",
                "details": {"limit": spec.requests_per_ip, "window_seconds": spec.window_seconds},
            }
        }
        return wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility("twtc-edge"),
            custom_response_bodies={
                RATE_LIMITED_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=json.dumps(rate_limited)
                )
            },
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="requests-per-ip",
                    priority=0,
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            aggregate_key_type="IP",
                            limit=spec.requests_per_ip,
                            evaluation_window_sec=spec.window_seconds,
                        )
                    ),
                    action=wafv2.CfnWebACL.RuleActionProperty(
                        block=wafv2.CfnWebACL.BlockActionProperty(
                            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                                response_code=429,
                                custom_response_body_key=RATE_LIMITED_BODY,
                                response_headers=[
                                    wafv2.CfnWebACL.CustomHTTPHeaderProperty(
                                        name="Retry-After", value=str(spec.window_seconds)
                                    )
                                ],
                            )
                        )
                    ),
                    visibility_config=_visibility("twtc-requests-per-ip"),
                ),
                wafv2.CfnWebACL.RuleProperty(
                    name="aws-common-rule-set",
                    priority=1,
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name="AWSManagedRulesCommonRuleSet"
                        )
                    ),
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                    visibility_config=_visibility("twtc-aws-common-rule-set"),
                ),
            ],
        )

    def _distribution(self, api: apigw.HttpApi, spec: EdgeSpec) -> cloudfront.Distribution:
        # `https://<id>.execute-api.<region>.amazonaws.com` -> its host name.
        api_host = Fn.select(2, Fn.split("/", api.api_endpoint))
        origin = origins.HttpOrigin(
            api_host,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            custom_headers={ORIGIN_SECRET_HEADER: self.origin_secret.secret_value.unsafe_unwrap()},
        )
        # Nothing is cached: no TTL by default and the functions send no Cache-Control. (CloudFront only
        # forwards Authorization from a cache policy, and refuses one in a policy whose TTLs are all 0,
        # hence the 1 s maximum.)
        never_cached = cloudfront.CachePolicy(
            self,
            "ApiCachePolicy",
            comment="TWTC /v1: never cached; Authorization forwarded",
            default_ttl=Duration.seconds(0),
            min_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        # Not the viewer's Host: API Gateway answers only to its own host name.
        forwarded = cloudfront.OriginRequestPolicy(
            self,
            "ApiOriginRequestPolicy",
            comment="TWTC /v1: viewer address and location, the headers functions read, query, cookies",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(*spec.forwarded_headers),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.all(),
        )
        distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="TWTC HTTP API (/v1) behind AWS WAF",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=never_cached,
                origin_request_policy=forwarded,
                compress=True,
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
            web_acl_id=self.web_acl.attr_arn,
        )
        acknowledge(
            distribution,
            "The app serves travellers worldwide (tourism), so no country is restricted at the edge.",
            "CFR1",
        )
        acknowledge(
            distribution,
            "Every request that reaches the API is in its JSON access log, and the WAF keeps metrics and "
            "sampled requests for what it blocks; a CloudFront log bucket would only repeat them.",
            "CFR3",
        )
        acknowledge(
            distribution,
            "The distribution uses its default *.cloudfront.net certificate, whose minimum TLS version "
            "CloudFront fixes; a custom domain with its own certificate would set TLSv1.2_2021.",
            "CFR4",
        )
        return distribution
