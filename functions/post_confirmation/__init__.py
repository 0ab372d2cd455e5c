"""Cognito PostConfirmation trigger: provisions a confirmed account exactly once."""
