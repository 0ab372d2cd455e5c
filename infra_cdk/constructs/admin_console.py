"""The admin console (issue 14) on the API's own CloudFront distribution: a private bucket read only through
origin access control, the `/admin` behaviours with the single-page app's fallback (a CloudFront Function,
not distribution-wide error pages, which would rewrite the API's own 403/404 bodies) and the security
headers, and the npm build uploaded on deploy (docs/decisions.md "Admin console on CloudFront")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from aws_cdk import DefaultStackSynthesizer, Duration
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct, IConstruct

from infra_cdk.constructs.function_factory import ROOT
from infra_cdk.constructs.logs import log_group
from infra_cdk.constructs.naming import acknowledge, logical_id
from infra_cdk.wiring import AdminConsoleSpec

REWRITE_CODE = Path(__file__).with_name("admin_console_rewrite.js")
# Vite's output directory for the bundle's content-hashed files (build.assetsDir): a new build gets new
# names, so they can be cached for long; everything else (index.html, favicon) must be revalidated.
HASHED_FILES = "assets/*"
HSTS_MAX_AGE = Duration.days(2 * 365)


class ConsoleNotBuiltError(Exception):
    """Synthesis needs the npm build it uploads."""


def viewer_request_code(spec: AdminConsoleSpec) -> str:
    """The CloudFront Function's JavaScript: the rewrite file, after the console's path it reads."""
    return f"var CONSOLE_PATH = {json.dumps(spec.path)};\n{REWRITE_CODE.read_text()}"


def built_console(spec: AdminConsoleSpec) -> Path:
    build_dir = ROOT / spec.build_dir
    if not (build_dir / "index.html").is_file():
        raise ConsoleNotBuiltError(
            f"build the admin console first: make admin-console ({spec.build_dir}/index.html is missing)"
        )
    return build_dir


class AdminConsole(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        spec: AdminConsoleSpec,
        distribution: cloudfront.Distribution,
        access_logs: s3.IBucket,
    ) -> None:
        super().__init__(scope, id)
        build_dir = built_console(spec)
        self.key_prefix = f"{spec.path.strip('/')}/"
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="admin-console/",
        )
        self.rewrite = cloudfront.Function(
            self,
            "Rewrite",
            comment=f"TWTC admin console: its routes answer index.html, {spec.path} moves to {spec.path}/",
            code=cloudfront.FunctionCode.from_inline(viewer_request_code(spec)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.headers = self._security_headers(spec)
        origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        for path_pattern in (f"{spec.path}/*", spec.path):
            distribution.add_behavior(
                path_pattern,
                origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                compress=True,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
                response_headers_policy=self.headers,
            )
        self._deploy(spec, build_dir, distribution)

    def _security_headers(self, spec: AdminConsoleSpec) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="TWTC admin console: content security policy, HSTS, no sniffing, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=spec.content_security_policy, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )

    def _deploy(self, spec: AdminConsoleSpec, build_dir: Path, distribution: cloudfront.Distribution) -> None:
        """Two syncs of the one build, each with its Cache-Control: the hashed files first (kept after a
        deploy, so a page loaded before it still finds its chunks), then the pages, which replace the
        previous ones and invalidate the console's paths at the edge."""
        source = s3deploy.Source.asset(str(build_dir))
        logs = log_group(self, "DeploymentLogs")
        self.hashed_files = s3deploy.BucketDeployment(
            self,
            "HashedFiles",
            sources=[source],
            destination_bucket=self.bucket,
            destination_key_prefix=self.key_prefix,
            exclude=["*"],
            include=[HASHED_FILES],
            prune=False,
            cache_control=[
                s3deploy.CacheControl.set_public(),
                s3deploy.CacheControl.max_age(Duration.seconds(spec.asset_cache_seconds)),
                s3deploy.CacheControl.immutable(),
            ],
            log_group=logs,
        )
        self.pages = s3deploy.BucketDeployment(
            self,
            "Pages",
            sources=[source],
            destination_bucket=self.bucket,
            destination_key_prefix=self.key_prefix,
            exclude=[HASHED_FILES],
            cache_control=[s3deploy.CacheControl.no_cache()],
            distribution=distribution,
            distribution_paths=[f"{spec.path}/*"],
            log_group=logs,
        )
        self.pages.node.add_dependency(self.hashed_files)
        self._acknowledge_deployment_handler()

    def _acknowledge_deployment_handler(self) -> None:
        """CDK's one handler behind both deployments (a stack-level singleton, so acknowledged on its role
        and function, not on this construct): it runs only while CloudFormation deploys, and its grants
        are CDK's own."""
        role = self.pages.handler_role
        acknowledge(
            role,
            "The AWS managed basic execution policy only lets CDK's deployment handler write its own logs.",
            "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        )
        acknowledge(
            role,
            "CDK's deployment handler reads the build's zip and syncs it (aws s3 sync): read and list over "
            "the asset and console buckets, delete to prune files a new build dropped, abort for its own "
            "multipart uploads.",
            "IAM5[Action::s3:GetObject*]",
            "IAM5[Action::s3:GetBucket*]",
            "IAM5[Action::s3:List*]",
            "IAM5[Action::s3:DeleteObject*]",
            "IAM5[Action::s3:Abort*]",
        )
        acknowledge(
            role,
            "The console's bucket holds nothing but the console's build, which the handler replaces.",
            f"IAM5[Resource::<{logical_id(self.bucket)}.Arn>/*]",
        )
        acknowledge(
            role,
            "The build's zip is in CDK's bootstrap asset bucket under a content-hash key known only at "
            "synthesis.",
            "IAM5[Resource::arn:<AWS::Partition>:s3:::"
            f"cdk-{DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*]",
        )
        acknowledge(
            role,
            "CDK grants CloudFront Create/GetInvalidation on any distribution; the stack has one, and the "
            "handler invalidates only the console's paths after an upload.",
            "IAM5[Resource::*]",
        )
        acknowledge(
            cast(IConstruct, role.node.scope),  # the singleton function that owns the role
            "CDK's BucketDeployment sets its handler's Python runtime to match the AWS CLI layer it "
            "bundles; it runs only during deploys.",
            "L1",
        )
