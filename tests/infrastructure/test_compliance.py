"""cdk-nag AwsSolutions passes (every accepted finding says why), and nothing local-only is deployed."""

from __future__ import annotations

import json

from tests.infrastructure.conftest import Synthesized


def test_cdk_nag_reports_no_unacknowledged_findings(synthesized: Synthesized) -> None:
    # cdk-nag 3 reports through CDK's policy validation: a finding neither fixed nor acknowledged fails
    # the synthesis itself, and the report lists what remains.
    (report,) = [
        r for r in synthesized.validation_report["pluginReports"] if r["pluginName"] == "AwsSolutions"
    ]
    assert report["violations"] == []
    assert report["conclusion"] == "success"


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
