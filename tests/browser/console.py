"""The admin console as a person uses it, for the browser tests: find things by what they say (labels,
button names, visible text), wait for what the app shows (never a sleep), type and click."""

from __future__ import annotations

from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT_SECONDS = 30  # a slow CI machine: the app's answers, not a pause


def _literal(text: str) -> str:
    """An XPath string literal for any text (XPath 1.0 has no escape for quotes)."""
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"


class Console:
    def __init__(self, driver: WebDriver, url: str, screenshots: Path | None) -> None:
        self.driver = driver
        self.url = url
        self._screenshots = screenshots
        self._expected_failures: list[str] = []

    # --- what the test expects the browser to log -------------------------------------------------------
    def expect_failed_requests(self, path_fragment: str) -> None:
        """A request to a URL containing this will fail on purpose (Chromium logs every 4xx as an error)."""
        self._expected_failures.append(path_fragment)

    def expected(self, message: str) -> bool:
        return "Failed to load resource" in message and any(
            fragment in message for fragment in self._expected_failures
        )

    # --- navigation ----------------------------------------------------------------------------------------
    def open(self, path: str = "/admin/") -> None:
        self.driver.get(self.url + path)

    def log_in(self, username: str, password: str) -> None:
        self.open("/admin/login")
        self.field("Username").send_keys(username)
        self.field("Password").send_keys(password, Keys.ENTER)

    def go_to(self, menu_item: str) -> None:
        self.click(f"//nav//a[@role='menuitem'][normalize-space(.)={_literal(menu_item)}]")

    def path(self) -> str:
        return str(self.driver.current_url).removeprefix(self.url)

    def wait_for_path(self, prefix: str) -> None:
        self.wait(lambda _: self.path().startswith(prefix), f"path {prefix}")

    # --- finding -------------------------------------------------------------------------------------------
    def wait(self, condition: object, what: str) -> object:
        return WebDriverWait(
            self.driver, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException]
        ).until(
            condition,  # type: ignore[arg-type]
            f"waited {WAIT_SECONDS} s for {what}",
        )

    def element(self, xpath: str) -> WebElement:
        def visible(driver: WebDriver) -> WebElement | bool:
            found = [e for e in driver.find_elements(By.XPATH, xpath) if e.is_displayed()]
            return found[0] if found else False

        return self.wait(visible, xpath)  # type: ignore[return-value]

    def text(self, text: str, within: str = "//body") -> WebElement:
        """The innermost element showing exactly this text (however React split it into text nodes)."""
        same = f"normalize-space(.)={_literal(text)}"
        return self.element(f"{within}//*[{same} and not(*[{same}])]")

    def gone(self, xpath: str) -> None:
        self.wait(
            lambda d: not [e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()], f"no {xpath}"
        )

    def field(self, label: str, within: str = "//body") -> WebElement:
        """The control a visible label names: an input its <label for> points at, or a select (a combobox
        whose aria-labelledby names the label). MUI appends a thin space and '*' to required labels."""
        text = "normalize-space(translate(., '\u2009*', '  '))"
        labelled = self.element(
            f"{within}//*[self::label or contains(@id, '-label')][{text}={_literal(label)}]"
        )
        target = labelled.get_attribute("for")
        if target:
            return self.element(f"//*[@id={_literal(target)}]")
        return self.element(f"//*[@aria-labelledby={_literal(labelled.get_attribute('id') or '')}]")

    def button(self, name: str, within: str = "//body") -> WebElement:
        """A button (or a link styled as one) by its accessible name: React Admin's carry it as aria-label."""
        quoted = _literal(name)
        return self.element(
            f"{within}//*[self::button or self::a][@aria-label={quoted} or normalize-space(.)={quoted}]"
        )

    def click(self, xpath: str) -> None:
        self.element(xpath).click()

    def double_click(self, element: WebElement, gap_seconds: float = 0.06) -> None:
        """Two real clicks a person's double click apart (WebDriver's own double click has no gap: it lands
        before the page has re-rendered after the first click)."""
        ActionChains(self.driver).click(element).pause(gap_seconds).click(element).perform()

    def press(self, name: str, within: str = "//body") -> None:
        self.button(name, within).click()

    def dialog(self) -> str:
        return "//*[@role='dialog']"

    def row(self, text: str) -> str:
        """The list row showing this text (an e-mail, an id)."""
        return f"//tr[.//*[normalize-space(.)={_literal(text)}]]"

    def choose(self, label: str, option: str, within: str = "//body") -> None:
        """A select (MUI's, opened by click): its option by visible text."""
        self.field(label, within).click()
        self.click(f"//li[@role='option'][normalize-space(.)={_literal(option)}]")

    def replace(self, element: WebElement, value: str) -> None:
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE, value)

    # --- quality --------------------------------------------------------------------------------------------
    def unlabelled_inputs(self) -> list[str]:
        """Visible form controls without an accessible name (label, aria-label or aria-labelledby)."""
        return list(
            self.driver.execute_script(
                """
                return [...document.querySelectorAll('input, textarea, select')]
                  .filter((e) => e.type !== 'hidden' && e.offsetParent !== null)
                  .filter((e) => !e.getAttribute('aria-hidden'))
                  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                                 && !e.getAttribute('aria-labelledby'))
                  .map((e) => e.outerHTML.slice(0, 120));
                """
            )
        )

    def focused_text(self) -> str:
        return str(self.driver.execute_script("return document.activeElement.innerText || ''")).strip()

    def screenshot(self, name: str) -> None:
        if self._screenshots is not None:
            self.gone("//*[contains(@class, 'MuiSnackbar-root')]")  # the page, not the last notification
            self._screenshots.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(self._screenshots / f"{name}.png"))
