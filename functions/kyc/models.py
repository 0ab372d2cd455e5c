"""The KYC API's request and response shapes (they also feed the OpenAPI document).

Document numbers are validated with python-stdnum; a refusal names the rule, never the number (the error
body, logs and traces must not carry a full Aadhaar number)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from stdnum import exceptions as stdnum_errors
from stdnum.in_ import aadhaar, pan

from twtc_core.kyc.models import DocType, KycStatus

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
ContentType = Literal["image/jpeg", "image/png", "application/pdf"]


class UploadIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"doc_type": "PAN", "content_type": "image/jpeg", "content_length": 482133}]
        }
    )

    doc_type: DocType
    content_type: ContentType
    content_length: int = Field(gt=0, le=MAX_DOCUMENT_BYTES, description="Bytes; at most 5 MB.")


class UploadOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://twtc-documents.s3.amazonaws.com/",
                    "fields": {
                        "Content-Type": "image/jpeg",
                        "key": "kyc/5f1c.../01JDZ8X3V4T6Q2M9N0P7R5S1AB",
                        "x-amz-algorithm": "AWS4-HMAC-SHA256",
                        "x-amz-credential": "ASIA.../20261125/us-east-1/s3/aws4_request",
                        "x-amz-date": "20261125T090000Z",
                        "policy": "eyJleHBpcmF0aW9uIjog...",
                        "x-amz-signature": "3f1a...",
                    },
                    "key": "kyc/5f1c.../01JDZ8X3V4T6Q2M9N0P7R5S1AB",
                    "expires_at": "2026-11-25T09:05:00.000Z",
                }
            ]
        }
    )

    url: str = Field(description="POST the form here: every field, then the file as `file` (last).")
    fields: dict[str, str]
    key: str = Field(description="Send it as `document_key` when submitting.")
    expires_at: str


class SubmissionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "doc_type": "PAN",
                    "doc_number": "ABCPE1234F",
                    "document_key": "kyc/5f1c.../01JDZ8X3V4T6Q2M9N0P7R5S1AB",
                }
            ]
        }
    )

    doc_type: DocType
    doc_number: str = Field(max_length=32, description="PAN `AAAAA9999A` or the 12-digit Aadhaar number.")
    document_key: str = Field(max_length=256)

    @model_validator(mode="after")
    def valid_number(self) -> SubmissionIn:
        """The canonical form (upper case, no spaces or dashes), or the rule it breaks."""
        try:
            if self.doc_type is DocType.PAN:
                self.doc_number = pan.validate(self.doc_number)
            else:
                self.doc_number = aadhaar.validate(self.doc_number)
        except stdnum_errors.ValidationError:
            code = "invalid_pan" if self.doc_type is DocType.PAN else "invalid_aadhaar"
            raise PydanticCustomError(code, RULES[self.doc_type]) from None
        return self


RULES = {
    DocType.PAN: "A PAN is five letters (the fourth a valid holder type), four digits and a letter.",
    DocType.AADHAAR: "An Aadhaar number is 12 digits, not starting with 0 or 1, with a valid check digit.",
}


class SubmissionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kyc_id": "01JDZ8Y0K2W3E4R5T6Y7U8I9O0", "status": "PENDING"}]}
    )

    kyc_id: str
    status: KycStatus


class KycOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "VERIFIED",
                    "doc_type": "AADHAAR",
                    "masked_number": "XXXX-XXXX-1234",
                    "reason": None,
                }
            ]
        }
    )

    status: KycStatus
    doc_type: DocType | None = None
    masked_number: str | None = None
    reason: str | None = Field(default=None, description="Why it was rejected.")
