"""The midnight reset (00:00 UTC): closes the day that just ended."""
