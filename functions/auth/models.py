"""The auth API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from twtc_core.fields import ConfirmationCode, DisplayName

DeviceId = Annotated[str, Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")]
Password = Annotated[str, Field(min_length=1, max_length=256)]


def e164(number: str) -> str:
    """A phone number in E.164 (`+919876543210`), or a validation error."""
    import phonenumbers  # noqa: PLC0415 -- lazy: only requests giving a phone number load its metadata

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as error:
        raise ValueError("Give the phone number in international format, e.g. +919876543210.") from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("This is not a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def username(value: str) -> str:
    """Emails compare case-insensitively; phone numbers in E.164."""
    value = value.strip()
    return value.lower() if "@" in value else e164(value)


Phone = Annotated[str, AfterValidator(e164)]
Username = Annotated[str, Field(min_length=3, max_length=254), AfterValidator(username)]


class _Request(BaseModel):
    """Strict: a JSON string is not a number or a boolean. Nothing is stripped (a password's spaces are
    part of it); fields that trim say so."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SignupIn(_Request):
    """Sign up by email or by phone: give exactly one of `email` and `phone` (E.164, e.g. `+919876543210`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "asha@example.com",
                    "password": "Correct-Horse-9-Battery",
                    "name": "Asha",
                    "referral_code": "K7TQ2M",
                    "device_id": "pixel-8-3f9a1c",
                },
                {
                    "phone": "+919876543210",
                    "password": "Correct-Horse-9-Battery",
                    "name": "Ravi",
                    "device_id": "iphone-15-b21e07",
                },
            ]
        }
    )

    email: EmailStr | None = None
    phone: Phone | None = None
    password: Password
    name: DisplayName
    referral_code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None
    ) = None
    device_id: DeviceId

    @model_validator(mode="after")
    def exactly_one_sign_in_identifier(self) -> SignupIn:
        if (self.email is None) == (self.phone is None):
            raise ValueError("Give either an email or a phone number.")
        if self.email is not None:
            self.email = self.email.lower()
        return self

    @property
    def username(self) -> str:
        return self.email or self.phone or ""


class SignupOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11", "confirmation_required": True}]
        }
    )

    user_id: str
    confirmation_required: bool


class ConfirmIn(_Request):
    """`username`: the email or phone number the account signed up with; `code`: the six digits sent to it."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "asha@example.com", "code": "482913"}]}
    )

    username: Username
    code: ConfirmationCode


class ConfirmOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"confirmed": True}]})

    confirmed: Literal[True] = True


class LoginIn(_Request):
    """`username`: the email or phone number (E.164) the account signed up with."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "asha@example.com",
                    "password": "Correct-Horse-9-Battery",
                    "device_id": "pixel-8-3f9a1c",
                }
            ]
        }
    )

    username: Username
    password: Password
    device_id: DeviceId


class RefreshIn(_Request):
    """`refresh_token`: opaque, exactly as login returned it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"refresh_token": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11.eyJjdHkiOiJKV1QifQ"}]
        }
    )

    refresh_token: Annotated[str, Field(min_length=1, max_length=4096)]


class TokensOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJraWQiOiJsb2NhbCIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiIzZjFjIn0.c2ln",
                    "id_token": "eyJraWQiOiJsb2NhbCIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiIzZjFjIn0.aWQ",
                    "refresh_token": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11.eyJjdHkiOiJKV1QifQ",
                    "expires_in": 900,
                    "token_type": "Bearer",
                }
            ]
        }
    )

    access_token: str
    id_token: str
    refresh_token: str | None = Field(None, description="Only on login: refreshing keeps the one you have.")
    expires_in: int = Field(description="Seconds until the access token expires.")
    token_type: Literal["Bearer"] = "Bearer"
