"""KYC: identity documents, their verification by a provider, and the profile's `kyc_status`."""
