"""The users table's data access, one module per aggregate; each is the only code touching its items and
returns `twtc_core.accounts.models` records. Writes spanning aggregates are composed in one
`twtc_core.dynamo.Transaction`: each store adds its own items' writes.

Single table (see docs/access-patterns.md):
  USER#<user>       / PROFILE              the profile (profiles.py)
  USER#<user>       / DEVICE#<device>      a device the user signed up or logged in from (devices.py)
                                           GSI gsi1: DEVICE#<device> / USER#<user>  (accounts on a device)
  USER#<referrer>   / REFERRALS#DAY#<date> rewarded referrals that day (daily cap), expires after 2 days
  EMAIL#<digest>    / EMAIL                the account holding an inbox (inboxes.py)
  CODE#<code>       / CODE                 referral code -> owner; its key makes codes unique (codes.py)
  GROUPS            / GROUP#<nn>           members of mining group nn (groups.py)
  REFERRAL#<id>     / REFERRAL             one referral (referrals.py)
                                           GSI gsi1: REFERRER#<referrer> / <created_at>#<id>
  USER#<user>       / SESSIONS             the session cut-off (twtc_core.accounts.sessions)
"""
