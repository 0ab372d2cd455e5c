"""Cognito PostConfirmation trigger: queues the provisioning of a confirmed account."""
