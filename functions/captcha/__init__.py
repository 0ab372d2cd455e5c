"""CAPTCHA API: `POST /v1/captcha/verify` lifts alert level 3 (spec §9)."""
