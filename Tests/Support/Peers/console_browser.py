#!/usr/bin/env python3
"""The operations console in a real browser: Debian's headless Chromium driven by selenium
through chromium-driver (scripts/peers/selenium.sh sets up the virtual environment).

Run by Tests/IntegrationTests/ConsoleBrowserTests.swift against a running daemon with scripted
traffic. It logs in with an API key, checks the overview's rows, searches a delivered order's
webhook-id on "where is it?" and sees its timeline, opens the dead letter, runs the dry run,
presses Replay (the receiver accepts again by then), follows the replayed message until its
timeline shows it delivered, reads the live feed, and logs out. Every step waits for a condition
with a deadline; a failed check exits 1 with what the page showed. Screenshots go to --shots.

    console_browser.py --url http://127.0.0.1:PORT --key plk_… --webhook-id ID --order SHOP-1 --shots DIR
"""
import argparse
import base64
import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


class CheckFailed(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--webhook-id", required=True, help="a webhook that was delivered")
    parser.add_argument("--dead-order", required=True, help="the canonical order id of the dead-lettered delivery")
    parser.add_argument("--discard-order", required=True, help="the canonical order id of the dead letter to discard")
    parser.add_argument("--shots", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--driver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)

    options = Options()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(args.driver), options=options)
    steps = []
    try:
        run(driver, args, steps)
    except (CheckFailed, TimeoutException) as e:
        shot(driver, args.shots, "failure")
        print(json.dumps({"ok": False, "steps": steps, "error": str(e) or type(e).__name__,
                          "url": driver.current_url, "page": driver.find_element(By.TAG_NAME, "body").text[:3000]}))
        sys.exit(1)
    finally:
        driver.quit()
    print(json.dumps({"ok": True, "steps": steps}))


def shot(driver, directory, name):
    """The whole page, beyond the window (Chrome DevTools Protocol Page.captureScreenshot)."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    image = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(int(height), 6000), "scale": 1},
    })
    path = os.path.join(directory, name + ".png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(image["data"]))
    return path


def wait(driver, condition, what, seconds=20):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)
    except TimeoutException:
        raise CheckFailed("timed out waiting for " + what)


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def text_of(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text if found else ""


def open_letter(driver, order):
    """Opens, from the dead-letter list, the letter whose body holds `order`."""
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.dead-letter")]
    for href in links:
        driver.get(href)
        wait(driver, EC.presence_of_element_located((By.ID, "attempts")), "the dead letter's page")
        if order in text_of(driver, "#body"):
            return
    raise CheckFailed("no dead letter holds order %s among %d" % (order, len(links)))


def run(driver, args, steps):
    base = args.url.rstrip("/")
    # 1. No session: the console sends the browser to its login page.
    driver.get(base + "/console")
    wait(driver, EC.url_contains("/console/login"), "the redirect to the login page")
    driver.find_element(By.ID, "key").send_keys("plk_not-a-key")
    driver.find_element(By.ID, "login").click()
    error = wait(driver, EC.presence_of_element_located((By.ID, "login-error")), "the refusal of a wrong key")
    check("not valid" in error.text, "a wrong key is refused: " + error.text)
    steps.append({"step": "wrong key refused", "shot": shot(driver, args.shots, "01-login-refused")})

    driver.find_element(By.ID, "key").send_keys(args.key)
    driver.find_element(By.ID, "login").click()
    wait(driver, EC.presence_of_element_located((By.ID, "endpoints")), "the overview after logging in")
    cookie = driver.get_cookie("paklog_session") or {}
    check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", "session cookie flags: %r" % cookie)
    check(args.key not in json.dumps(driver.get_cookies()), "the key is not in any cookie")
    # 2. The overview: the route, the source, the endpoint with its breaker.
    routes = text_of(driver, "#routes")
    endpoints = text_of(driver, "#endpoints")
    sources = text_of(driver, "#sources")
    check("orders-to-canonical" in routes, "the route is listed: " + routes)
    check("receiver" in endpoints and "CLOSED" in endpoints, "the endpoint and its closed breaker: " + endpoints)
    check("orders" in sources and "MessageReceived" in sources, "the source and its last exchange: " + sources)
    steps.append({"step": "overview", "routes": routes, "endpoints": endpoints, "shot": shot(driver, args.shots, "02-overview")})

    # 3. Where is it? A delivered webhook's whole exchange.
    driver.find_element(By.LINK_TEXT, "Where is it?").click()
    box = wait(driver, EC.presence_of_element_located((By.ID, "where-key")), "the search page")
    box.send_keys(args.webhook_id)
    driver.find_element(By.ID, "where-search").click()
    timeline = wait(driver, EC.presence_of_element_located((By.ID, "timeline")), "the timeline of " + args.webhook_id).text
    for expected in ("MessageReceived", "OutboxMessageQueued", "MessageDelivered", "HTTP 200"):
        check(expected in timeline, "the timeline of %s shows %s: %s" % (args.webhook_id, expected, timeline))
    steps.append({"step": "where is it", "key": args.webhook_id, "shot": shot(driver, args.shots, "03-where-is-it")})

    # 4. The dead letters: listed; one discarded with a reason; the other shown, dry run, replay.
    driver.find_element(By.LINK_TEXT, "Dead letters").click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "a.dead-letter")), "a dead letter in the list")
    listing = text_of(driver, "main")
    check("dlq-endpoint-receiver" in listing and listing.count("open") >= 2, "the dead-letter store lists the open letters: " + listing)
    steps.append({"step": "dead letters", "shot": shot(driver, args.shots, "04-dead-letters")})
    open_letter(driver, args.discard_order)
    driver.find_element(By.ID, "discard-reason").send_keys("customer cancelled by phone")
    driver.find_element(By.ID, "discard").click()
    wait(driver, EC.presence_of_element_located((By.ID, "discarded")), "the discard's confirmation")
    check("discarded" in text_of(driver, "#dead-letter-status") and "customer cancelled by phone" in text_of(driver, "#dead-letter-status"),
          "the letter is discarded with its reason: " + text_of(driver, "#dead-letter-status"))
    check(not driver.find_elements(By.ID, "replay"), "a discarded letter offers no replay")
    steps.append({"step": "discarded", "shot": shot(driver, args.shots, "04b-discarded")})
    driver.find_element(By.LINK_TEXT, "Dead letters").click()
    open_letter(driver, args.dead_order)
    check("503" in text_of(driver, "#attempts"), "its attempts show the receiver's 503: " + text_of(driver, "#attempts"))
    driver.find_element(By.ID, "dry-run").click()
    result = wait(driver, EC.presence_of_element_located((By.ID, "dry-run-result")), "the dry run's result").text
    check("nothing was written" in result and args.dead_order in result, "the dry run shows the body it would send: " + result)
    check("open" in text_of(driver, "#dead-letter-status"), "a dry run leaves the letter open")
    steps.append({"step": "dry run", "shot": shot(driver, args.shots, "05-dry-run")})
    driver.find_element(By.ID, "replay").click()
    replayed = wait(driver, EC.presence_of_element_located((By.ID, "replayed")), "the replay's confirmation")
    check("replayed" in text_of(driver, "#dead-letter-status"), "the letter is marked replayed: " + text_of(driver, "#dead-letter-status"))
    steps.append({"step": "replayed", "shot": shot(driver, args.shots, "06-replayed")})

    # 5. The replayed message, followed until its timeline shows the delivery.
    replayed.find_element(By.TAG_NAME, "a").click()
    deadline = time.monotonic() + 60
    while True:
        timeline = text_of(driver, "#timeline")
        if "MessageDelivered" in timeline:
            break
        check(time.monotonic() < deadline, "the replayed message was not delivered in 60 s: " + text_of(driver, "main"))
        time.sleep(0.5)
        driver.refresh()
    check("replay of" in timeline and args.dead_order in driver.page_source, "the timeline names the replay and its order: " + timeline)
    steps.append({"step": "replay delivered", "timeline": timeline, "shot": shot(driver, args.shots, "07-replay-delivered")})

    # 6. The live feed through the session cookie (the log from its start, so it has rows).
    driver.get(base + "/console/events?after=0")
    wait(driver, lambda d: text_of(d, "#feed-state") == "connected", "the event stream to connect")
    wait(driver, lambda d: "MessageDelivered" in text_of(d, "#feed"), "delivered events in the live feed")
    steps.append({"step": "live feed", "events": text_of(driver, "#feed-count"), "shot": shot(driver, args.shots, "08-live-events")})

    # 7. Log out: the session ends, the console asks for a key again.
    driver.find_element(By.ID, "logout").click()
    wait(driver, EC.url_contains("/console/login"), "the login page after logging out")
    driver.get(base + "/console/dlq")
    wait(driver, EC.url_contains("/console/login"), "the console refusing the ended session")
    steps.append({"step": "logged out", "shot": shot(driver, args.shots, "09-logged-out")})


if __name__ == "__main__":
    main()
