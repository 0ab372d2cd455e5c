"""Admin API for money: the withdrawal review queue (approve, reject, paid) and wallet adjustments."""
