"""Daily reconciliation (EventBridge schedule `ledger-reconcile`): check the ledger adds up and report
any difference as metrics (`LedgerMismatches`, `LedgerGlobalSumAbs`, `LedgerReconciliationsCompleted`,
for the alarms in infra_cdk/constructs/operations.py) and logs; never repair."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from twtc_core.ledger.reconcile import reconcile, report_findings
from twtc_core.observability import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = reconcile()
    report_findings(report)
    return {"ok": report.ok, "wallets_checked": report.wallets_checked, "mismatches": len(report.mismatches)}
