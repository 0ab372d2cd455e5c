"""The AWS CDK app (`app.py`, `stack.py`, `constructs/`) and the wiring declaration it shares with the
local runtime (`wiring.py`, free of CDK imports)."""
