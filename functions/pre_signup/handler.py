"""PreSignUp trigger handler: read the new user's attributes, apply the sign-up rules."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import PreSignUpTriggerEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.pre_signup import logic
from twtc_core.accounts.rules import ReferralCaps, SignupStores
from twtc_core.accounts.settings import ReferralSettings
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.accounts.stores.signups import SignupPassStore
from twtc_core.observability import logger, tracer

ADMIN_CREATED = "PreSignUp_AdminCreateUser"

settings = ReferralSettings()
stores = SignupStores(CodeStore(), DeviceStore(), ProfileStore(), ReferralStore(), InboxStore())
passes = SignupPassStore()
caps = ReferralCaps(settings.referral_max_per_day, settings.referral_max_total)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@event_source(data_class=PreSignUpTriggerEvent)
def lambda_handler(event: PreSignUpTriggerEvent, context: LambdaContext) -> dict[str, Any]:
    attributes = event.request.user_attributes
    logic.check_sign_up(
        stores,
        passes,
        caps,
        created_by_admin=event.trigger_source == ADMIN_CREATED,
        email=attributes.get("email"),
        phone=attributes.get("phone_number"),
        referral_code=attributes.get("custom:referral_code"),
        device_id=attributes.get("custom:device_id"),
        signup_ip=attributes.get("custom:signup_ip"),
    )
    return event.raw_event
