"""cdk-nag AwsSolutions passes (every accepted finding says why), and nothing local-only is deployed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App, NestedStack, Stack
from aws_cdk import aws_sns as sns

from infra_cdk.app import check_compliance
from tests.infrastructure.conftest import Synthesized


def test_cdk_nag_reports_no_unacknowledged_findings(synthesized: Synthesized) -> None:
    # cdk-nag 3 reports through CDK's policy validation: a finding neither fixed nor acknowledged fails
    # the synthesis itself, and the report lists what remains.
    (report,) = [
        r for r in synthesized.validation_report["pluginReports"] if r["pluginName"] == "AwsSolutions"
    ]
    assert report["violations"] == []
    assert report["conclusion"] == "success"


def test_cdk_nag_checks_the_nested_stacks_too(tmp_path: Path) -> None:
    # Given an app checked as the platform's is, with a topic allowing plain HTTP in a nested stack
    app = App(outdir=str(tmp_path))
    check_compliance(app)
    sns.Topic(NestedStack(Stack(app, "Parent"), "Monitoring"), "Topic")
    # When it is synthesized
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    # Then the synthesis fails on the nested topic's finding
    (report,) = [
        r
        for r in json.loads((tmp_path / "validation-report.json").read_text())["pluginReports"]
        if r["pluginName"] == "AwsSolutions"
    ]
    assert [
        (violation["ruleName"], construct["constructPath"])
        for violation in report["violations"]
        for construct in violation["violatingConstructs"]
    ] == [("AwsSolutions-SNS3", "Parent/Monitoring/Topic/Resource")]


def test_every_acknowledged_finding_has_a_reason(synthesized: Synthesized) -> None:
    (report,) = [
        r for r in synthesized.validation_report["pluginReports"] if r["pluginName"] == "AwsSolutions"
    ]
    acknowledged = report["suppressedViolations"]
    assert acknowledged
    assert all(len(finding["reason"].split()) >= 8 for finding in acknowledged), [
        (finding["acknowledgedId"], finding["reason"]) for finding in acknowledged
    ]


def test_no_local_only_route_or_name_is_deployed(synthesized: Synthesized) -> None:
    assert "_local" not in json.dumps(synthesized.template)
