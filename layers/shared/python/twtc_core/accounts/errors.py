"""Account and referral errors, each with the spec's code; `twtc_core.api` maps their categories to HTTP."""

from __future__ import annotations

from twtc_core import errors


class AccountExists(errors.Conflict):
    code = "account_exists"


class WeakPassword(errors.Invalid):
    code = "weak_password"


class InvalidConfirmationCode(errors.Invalid):
    code = "invalid_code"


class ConfirmationCodeExpired(errors.Invalid):
    code = "code_expired"


class InvalidCredentials(errors.Unauthenticated):
    code = "invalid_credentials"


class AccountSuspended(errors.Forbidden):
    """Disabled by an admin or suspended by the fraud engine (alert level 4)."""

    code = "account_suspended"


class ReauthenticationRequired(errors.Unauthenticated):
    code = "reauthentication_required"


class AccountNotConfirmed(errors.Forbidden):
    code = "account_not_confirmed"


class ChallengeRequired(errors.Forbidden):
    code = "challenge_required"


class SignupRejected(errors.Invalid):
    code = "signup_rejected"


class DisposableEmail(errors.Invalid):
    code = "disposable_email"


class InvalidReferralCode(errors.Invalid):
    code = "invalid_referral_code"


class ReferralLimitReached(errors.Invalid):
    code = "referral_limit_reached"


class TooManySignups(errors.RateLimited):
    code = "too_many_signups"


class TooManyLoginAttempts(errors.RateLimited):
    code = "too_many_login_attempts"


class TooManyConfirmationAttempts(errors.RateLimited):
    code = "too_many_confirmation_attempts"


class IdentityProviderBusy(errors.RateLimited):
    code = "rate_limited"


class ProfileNotFound(errors.NotFound):
    code = "profile_not_found"


class InvalidProfileChange(errors.Invalid):
    code = "invalid_profile_change"


class AccountBeingSetUp(errors.Conflict):
    """A confirmed user whose account is not provisioned yet (its provisioning has been requested)."""

    code = "account_being_set_up"
