"""1:1 audio calls (spec §5): the call log, BUSY presence, per-minute billing rules and the Twilio account."""
