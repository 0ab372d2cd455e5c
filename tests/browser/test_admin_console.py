"""Issue 14's Must-show in a real browser: the admin signs in with the credentials `make dev` prints, sees
today's stats and the charts, finds a user by e-mail, disables them (their token is refused) and enables
them, adjusts their wallet (an ADJUSTMENT appears), creates a video with its question (users see it),
resolves a fraud event, approves a KYC submission and marks a withdrawal paid. A plain user cannot get past
the login screen; a moderator sees the review queues and no wallet adjustment. Every effect is checked
through the API, as the user it concerns sees it."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx

from tests.browser.conftest import Credentials
from tests.browser.console import Console
from tests.e2e.conftest import Runtime
from tests.e2e.kyc_steps import provider_decides, uploaded_and_submitted_pan
from tests.support.e2e_clock import advance
from tests.support.e2e_trust import device_farmer, events_of, in_group, log_in
from tests.support.e2e_users import PASSWORD, new_user

SESSION_GATE_SECONDS = 30  # the session gate's cache: a disabled user's tokens die within it
ACCESS_TOKEN_SECONDS = 900
UPI = {"type": "UPI", "upi_id": "console.payee@okaxis"}


def a_pan() -> str:
    digits = uuid.uuid4().int
    return f"BRWP{chr(65 + digits % 26)}{digits % 10_000:04d}{chr(65 + digits // 7 % 26)}"


def signed_in_admin(browser: Console, admin: Credentials) -> None:
    browser.log_in(admin.username, admin.password)
    browser.text("Daily active users")


def test_the_admin_signs_in_by_keyboard_and_sees_todays_stats_and_the_charts(
    browser: Console, admin_credentials: Credentials
) -> None:
    # Given the login page, used with the keyboard only (the username field has the focus)
    browser.open("/admin/")
    browser.wait_for_path("/admin/login")
    username = browser.field("Username")
    browser.wait(lambda driver: driver.switch_to.active_element == username, "the username field focused")
    # When the admin types the printed credentials, tabs to the password and presses Enter
    browser.driver.switch_to.active_element.send_keys(admin_credentials.username, "\t")
    browser.driver.switch_to.active_element.send_keys(admin_credentials.password, "\n")
    # Then the dashboard shows today's figures and the 30-day charts
    for figure in ("Daily active users", "New users", "Coins distributed", "Ads watched", "Call minutes"):
        browser.element(f"//section[@aria-label='{figure}']")
    for chart in ("Daily active users", "Coins distributed by type (TWTC)", "Task completion (%)"):
        browser.element(f"//figure[@aria-label='{chart}']//*[name()='svg']//*[name()='path']")
    assert int(browser.element("//*[@data-figure='New users']").text) >= 1  # the seeded admin, at least
    assert browser.unlabelled_inputs() == []
    browser.screenshot("admin-console-dashboard")
    # And the menu is reachable by keyboard: Tab to "Users", Enter opens it
    for _ in range(40):
        if browser.focused_text() == "Users":
            break
        browser.driver.switch_to.active_element.send_keys("\t")
    assert browser.focused_text() == "Users"
    browser.driver.switch_to.active_element.send_keys("\n")
    browser.wait_for_path("/admin/users")


def test_the_admin_finds_a_user_disables_enables_and_adjusts_their_wallet(
    browser: Console, admin_credentials: Credentials, api: httpx.Client
) -> None:
    # Given a user with the sign-up bonus, signed in on their phone
    asha = new_user(api, "console-asha")
    signed_in_admin(browser, admin_credentials)
    # When the admin searches for her e-mail and opens her account
    browser.go_to("Users")
    browser.field("Find a user").send_keys(asha.email)
    browser.click(browser.row(asha.email))
    browser.wait_for_path(f"/admin/users/{asha.user_id}/show")
    # Then they see her wallet, transactions and devices
    browser.text("10.00 TWTC", within="//section[@aria-label='Wallet']")
    browser.text("SIGNUP_BONUS", within="//section[@aria-label='Recent transactions']")
    browser.text(asha.device_id, within="//section[@aria-label='Devices']")
    assert browser.unlabelled_inputs() == []
    # When they disable her (after confirming)
    browser.press("Disable")
    browser.press("Disable account", within=browser.dialog())
    browser.button("Enable")
    # Then her token is refused on every route and she cannot log in
    advance(api, SESSION_GATE_SECONDS)
    assert api.get("/v1/wallet", headers=asha.auth).status_code == 401
    assert log_in(api, asha).status_code == 403
    # When they enable her again, she logs in and reads her wallet
    browser.press("Enable")
    browser.press("Enable account", within=browser.dialog())
    browser.button("Disable")
    again = log_in(api, asha)
    assert again.status_code == 200, again.text
    asha = replace(asha, token=again.json()["access_token"])
    assert api.get("/v1/wallet", headers=asha.auth).json()["balance"] == 1_000
    # When they credit 12.50 TWTC with a reason, reviewing it before confirming
    browser.press("Adjust wallet")
    browser.field("Amount (TWTC)", within=browser.dialog()).send_keys("12.50")
    browser.field("Reason", within=browser.dialog()).send_keys("Goodwill credit for ticket 4812")
    assert browser.unlabelled_inputs() == []
    browser.double_click(browser.button("Review", within=browser.dialog()))  # 60 ms apart, as a hand does
    confirm = browser.button("Confirm adjustment", within=browser.dialog())
    browser.wait(lambda _: confirm.is_enabled(), "the confirmation armed after its pause")
    # Then the double click moved nothing: the summary is still open, her history has no adjustment
    browser.text("Reason: Goodwill credit for ticket 4812", within=browser.dialog())
    assert "ADJUSTMENT" not in [
        e["type"] for e in api.get("/v1/wallet/transactions", headers=asha.auth).json()["items"]
    ]
    # When they confirm it
    confirm.click()
    # Then the page shows the ADJUSTMENT and the new balance, and so does her own history
    browser.text("ADJUSTMENT", within="//section[@aria-label='Recent transactions']")
    browser.text("22.50 TWTC", within="//section[@aria-label='Wallet']")
    history = api.get("/v1/wallet/transactions", headers=asha.auth).json()["items"]
    assert (history[0]["type"], history[0]["amount"]) == ("ADJUSTMENT", 1_250)
    browser.screenshot("admin-console-user")


def fill_in_video(browser: Console, texts: dict[str, str]) -> None:
    """The create form: its texts, the numbers, the correct option (B), then Save."""
    for label, value in texts.items():
        browser.field(label).send_keys(value)
    browser.field("Duration (seconds)").send_keys("90")
    browser.field("Boost (%; 150 = 1.5x)").send_keys("150")
    browser.click("//label[.//input[@value='B']]")
    assert browser.unlabelled_inputs() == []
    browser.press("Save")


def test_the_admin_creates_edits_and_deletes_a_video_with_its_question_and_users_see_it(
    browser: Console, admin_credentials: Credentials, api: httpx.Client
) -> None:
    # Given a user of the app and a new video id
    viewer = new_user(api, "console-viewer")
    video_id = f"console-{uuid.uuid4().hex[:8]}"
    signed_in_admin(browser, admin_credentials)
    # When the admin creates the video with its quiz question
    browser.go_to("Videos")
    browser.press("Create")
    fields = {
        "Id": video_id,
        "Title": "Hampi at dawn",
        "Country": "IN",
        "Place": "Hampi",
        "Category": "HERITAGE",
        "Video URL": "https://videos.example.com/hampi.mp4",
        "Thumbnail URL": "https://videos.example.com/hampi.jpg",
        "Question": "Which empire built Hampi?",
        "Option A": "Maurya",
        "Option B": "Vijayanagara",
        "Option C": "Mughal",
        "Option D": "Chola",
    }
    fill_in_video(browser, fields)
    # Then it is listed, and the app's users see it
    browser.text(video_id)
    videos = api.get("/v1/videos", params={"country": "IN", "limit": 100}, headers=viewer.auth).json()
    assert video_id in [video["video_id"] for video in videos["items"]]
    # When the admin creates another with the same id, the API's own message says why
    browser.expect_failed_requests("/v1/admin/videos")
    browser.press("Create")
    fill_in_video(browser, fields)
    browser.element("//*[@role='alert'][contains(., 'A video with this id exists.')]")
    # When the admin renames the video, users see the new title
    browser.go_to("Videos")
    browser.click(browser.row(video_id))
    browser.replace(browser.field("Title"), "Hampi at sunrise")
    browser.press("Save")
    browser.text("Hampi at sunrise")
    videos = api.get("/v1/videos", params={"country": "IN", "limit": 100}, headers=viewer.auth).json()
    assert [v["title"] for v in videos["items"] if v["video_id"] == video_id] == ["Hampi at sunrise"]
    # And when they delete it (confirming), users no longer see it
    browser.click(browser.row(video_id))
    browser.press("Delete")
    browser.press("Confirm", within=browser.dialog())
    browser.gone(browser.row(video_id))
    videos = api.get("/v1/videos", params={"country": "IN", "limit": 100}, headers=viewer.auth).json()
    assert video_id not in [video["video_id"] for video in videos["items"]]


def test_the_admin_resolves_a_fraud_event(
    browser: Console, admin_credentials: Credentials, api: httpx.Client, runtime: Runtime
) -> None:
    # Given four accounts signed up on one device, the fourth logging in there (a MULTI_ACCOUNT event)
    reviewer = in_group(runtime, api, new_user(api, "console-reviewer"), "moderator")
    farmer = device_farmer(api, "console-farm")
    [event] = events_of(api, reviewer, farmer, "MULTI_ACCOUNT")
    signed_in_admin(browser, admin_credentials)
    # When the admin filters the queue to HIGH and dismisses the event with a note
    browser.go_to("Fraud events")
    browser.choose("Severity", "HIGH")
    row = browser.row(farmer.user_id)
    browser.press("Resolve", within=row)
    browser.choose("Outcome", "Dismiss (not fraud)", within=browser.dialog())
    browser.field("Note", within=browser.dialog()).send_keys("One family's phone, checked with them.")
    browser.press("Resolve", within=browser.dialog())
    browser.gone(row)  # no longer open
    # Then the queue holds it as dismissed, with the note
    [dismissed] = events_of(api, reviewer, farmer, "MULTI_ACCOUNT", status="DISMISSED")
    assert (dismissed["event_id"], dismissed["note"]) == (
        event["event_id"],
        "One family's phone, checked with them.",
    )


def test_the_admin_approves_a_kyc_submission_and_marks_a_withdrawal_paid(
    browser: Console, admin_credentials: Credentials, api: httpx.Client, runtime: Runtime
) -> None:
    # Given Kiran's PAN submitted (PENDING), and Dev, verified and funded, asking for a 500 TWTC payout
    kiran = new_user(api, "console-kiran")
    kyc_id = uploaded_and_submitted_pan(api, kiran.token, a_pan())
    ops = in_group(runtime, api, new_user(api, "console-ops"), "admin")
    dev = new_user(api, "console-dev")
    provider_decides(api, uploaded_and_submitted_pan(api, dev.token, a_pan()), "VERIFIED")
    funded = api.post(
        f"/v1/admin/users/{dev.user_id}/adjustments",
        json={"amount": 100_000, "reason": "Launch"},
        headers=ops,
    )
    assert funded.status_code == 201, funded.text
    requested = api.post(
        "/v1/wallet/withdrawals", json={"amount": 50_000, "destination": UPI}, headers=dev.auth
    )
    assert requested.status_code == 201, requested.text
    signed_in_admin(browser, admin_credentials)
    # When the admin opens Kiran's submission (masked number, the document's link) and approves it
    browser.go_to("KYC")
    browser.click(browser.row(kiran.user_id) + "//td[contains(@class, 'column-masked_number')]")
    browser.wait_for_path(f"/admin/kyc/{kyc_id}/show")
    link = browser.element("//a[normalize-space(.)='Open the uploaded document']")
    assert "X-Amz-Signature" in str(link.get_attribute("href"))
    assert httpx.get(str(link.get_attribute("href"))).status_code == 200  # the presigned GET works
    browser.press("Approve")
    browser.press("Approve", within=browser.dialog())
    browser.text("VERIFIED")
    # Then Kiran is verified
    assert api.get("/v1/kyc", headers=kiran.auth).json()["status"] == "VERIFIED"
    # When the admin approves Dev's withdrawal, reads where to pay it, and marks it paid
    browser.go_to("Withdrawals")
    row = browser.row(dev.user_id)
    browser.press("Approve", within=row)
    browser.press("Approve", within=browser.dialog())
    browser.choose("Status", "APPROVED")
    browser.press("Destination", within=browser.row(dev.user_id))
    browser.text("UPI console.payee@okaxis", within=browser.dialog())
    browser.press("Done", within=browser.dialog())
    browser.press("Mark paid", within=browser.row(dev.user_id))
    browser.press("Mark paid", within=browser.dialog())
    browser.gone(browser.row(dev.user_id))
    # Then Dev's withdrawal is paid: one WITHDRAWAL entry took the coins
    [withdrawal] = api.get("/v1/wallet/withdrawals", headers=dev.auth).json()["items"]
    assert withdrawal["status"] == "PAID"
    assert api.get("/v1/wallet", headers=dev.auth).json()["balance"] == 1_000 + 100_000 - 50_000


def test_a_plain_user_cannot_get_past_the_login_screen(browser: Console, api: httpx.Client) -> None:
    # Given a user of the app (no staff group)
    plain = new_user(api, "console-plain")
    # When they sign in to the console with their own, valid credentials
    browser.log_in(plain.email, PASSWORD)
    # Then they stay on the login screen, told why, with nothing kept
    browser.element("//*[contains(., 'This account has no access to the admin console.')]")
    assert browser.path() == "/admin/login"
    assert browser.driver.execute_script("return window.sessionStorage.length") == 0
    browser.open("/admin/users")
    browser.wait_for_path("/admin/login")


def test_a_moderator_sees_the_review_queues_but_no_wallet_adjustment(
    browser: Console, api: httpx.Client, runtime: Runtime
) -> None:
    # Given a moderator and a user
    moderator = new_user(api, "console-moderator")
    in_group(runtime, api, moderator, "moderator")
    asha = new_user(api, "console-asha")
    # When the moderator signs in
    browser.log_in(moderator.email, PASSWORD)
    # Then they see the review queues, not the admin's screens
    browser.text("Review queues")
    menu = browser.element("//nav").text.split("\n")
    assert {"Users", "Fraud events", "KYC"} <= set(menu)
    assert not {"Withdrawals", "Videos", "Quiz bank", "Task types"} & set(menu)
    # And a user's page has no adjustment, disable or enable
    browser.go_to("Users")
    browser.field("Find a user").send_keys(asha.email)
    browser.click(browser.row(asha.email))
    browser.text("10.00 TWTC", within="//section[@aria-label='Wallet']")
    for action in ("Adjust wallet", "Disable", "Enable"):
        assert not browser.driver.find_elements("xpath", f"//button[@aria-label='{action}']")


def test_an_expired_access_token_is_refreshed_and_sign_out_ends_the_session(
    browser: Console, admin_credentials: Credentials, api: httpx.Client
) -> None:
    # Given the admin signed in, and their access token expired an hour later
    signed_in_admin(browser, admin_credentials)
    advance(api, ACCESS_TOKEN_SECONDS + 60)
    browser.expect_failed_requests("/v1/admin/")  # the expired token's 401, before the refresh
    # When they open the fraud queue: the console refreshes the token and carries on
    browser.go_to("Fraud events")
    browser.wait_for_path("/admin/fraud-events")
    browser.element("//table | //*[contains(normalize-space(text()), 'found using the current filters')]")
    # And a reload keeps them signed in (the refresh token outlives the page)
    browser.open("/admin/kyc")
    browser.wait_for_path("/admin/kyc")
    browser.text("KYC submissions")
    # When they sign out, the console asks for a login again, also after a reload
    browser.click("//button[@aria-label='Profile']")
    browser.click("//li[normalize-space(.)='Logout']")
    browser.wait_for_path("/admin/login")
    browser.open("/admin/kyc")
    browser.wait_for_path("/admin/login")
