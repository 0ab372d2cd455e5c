"""Provisioning worker: opens a confirmed user's account, exactly once, from the provisioning queue."""
