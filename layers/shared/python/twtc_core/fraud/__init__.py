"""The anti-fraud engine (spec §9): rules over a user's recent activity, fraud events, the anomaly score
and the alert level the request path enforces. See docs/fraud.md."""
