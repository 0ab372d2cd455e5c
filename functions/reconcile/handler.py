"""Reconciliation (EventBridge schedule `ledger-reconcile`, every 5 minutes): starts the day's run once the
day before has closed, resumes it on later ticks until it is done, and checks the ledger adds up; any
difference is reported as metrics (`LedgerMismatches`, `LedgerGlobalSumAbs`, and
`LedgerReconciliationsCompleted` when a run finishes, for the alarms in infra_cdk/constructs/operations.py)
and logs; never repaired. Each tick stops a minute before its timeout, leaving the rest to the next."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from twtc_core.ledger.reconcile import advance_reconciliation
from twtc_core.observability import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    progress = advance_reconciliation(time_left_ms=context.get_remaining_time_in_millis)
    report = progress.report
    if report is None:
        return {"day": progress.day, "status": progress.status}
    return {"ok": report.ok, "wallets_checked": report.wallets_checked, "mismatches": len(report.mismatches)}
