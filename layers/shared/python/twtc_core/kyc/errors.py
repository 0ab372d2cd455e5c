"""KYC's domain errors (twtc_core.api maps their categories to HTTP)."""

from twtc_core.errors import Conflict, NotFound


class KycPending(Conflict):
    code = "kyc_pending"


class KycVerified(Conflict):
    code = "kyc_verified"


class KycDecided(Conflict):
    code = "kyc_already_decided"


class DocumentNotFound(NotFound):
    code = "document_not_found"


class KycNotFound(NotFound):
    code = "kyc_not_found"
