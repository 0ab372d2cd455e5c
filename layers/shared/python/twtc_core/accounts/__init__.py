"""Accounts shared by the auth, profile, referral and Cognito-trigger functions: profiles, referral
codes and records, groups, devices (users table), plus the rules several of them apply."""
