#!/usr/bin/python3
"""End-to-end test of voix serve in headless Chromium: log in, upload the
bundled example, open the note, filter it by feeling and department with
its form, drill down to a topic and check the highlighted verbatim span,
compare two periods, read the trends, download
the JSON note and check its schema, fill the public form /avis (search a
structure, errors next to the fields, sent), publish it from the moderation
queue as MODERATOR and reply to it as AGENT (same password), and run
axe-core on every page (no serious or critical violation).
usage: dashboard.py BASE_URL USER PASSWORD EXAMPLE_CSV AXE_JS MODERATOR AGENT"""
import json
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, user, password, example, axe_path, moderator, agent = sys.argv[1:8]
axe_js = open(axe_path, encoding="utf-8").read()
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def axe(driver, page):
    driver.execute_script(axe_js)
    result = driver.execute_async_script(
        "const done = arguments[0];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}).then(r => done(r.violations));")
    bad = [v for v in result if v.get("impact") in ("serious", "critical")]
    for v in bad:
        print("     axe %s: %s (%d nodes)" % (v["impact"], v["id"], len(v["nodes"])))
    check(not bad, "axe: no serious or critical violation on %s" % page)


def click_and_wait(driver, css):
    """Clicks the element of css and waits for the next page to replace this one.

    The page is marked with a window property before the click; the next
    page's window does not have it. (Waiting for the old <html> element to
    go stale fails now and then: while the page is being replaced,
    chromedriver may answer "Node with given id does not belong to the
    document" instead of "stale element", which the wait does not expect.)"""
    driver.execute_script("window.voixPageBeforeClick = true;")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.voixPageBeforeClick === undefined && document.readyState === 'complete';"))


def sign_in(driver, name, lands_on):
    """Signs name in through the login form and waits for the page it leads to."""
    driver.find_element(By.ID, "nom").send_keys(name)
    driver.find_element(By.ID, "motdepasse").send_keys(password)
    click_and_wait(driver, "form[action='/connexion'] button")
    try:
        WebDriverWait(driver, 30).until(lambda d: lands_on in d.current_url)
    except Exception:
        pass
    return lands_on in driver.current_url


opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
try:
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
except Exception as e:  # chromium cannot start here: the caller skips
    print("skip: chromium cannot start: %s" % str(e).splitlines()[0])
    sys.exit(77)
driver.set_script_timeout(60)
try:
    driver.get(base + "/note")
    check(driver.current_url.endswith("/connexion"), "a page without session goes to the login form")
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr", "lang=fr")
    axe(driver, "/connexion")
    check(sign_in(driver, user, "/note"), "signed in, sent to the note")

    driver.get(base + "/sources")
    axe(driver, "/sources")
    driver.find_element(By.ID, "fichier").send_keys(example)
    click_and_wait(driver, "form[action='/sources'] button")
    status = driver.find_element(By.ID, "resultat").text
    check("240 lignes lues" in status, "upload of the example: %s" % status)

    driver.get(base + "/note?topics=4")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Note de synthèse", "the note page")
    check("calculée" in driver.find_element(By.ID, "cache").text, "first note computed")
    axe(driver, "/note")
    driver.get(base + "/note?topics=4")
    check("cache" in driver.find_element(By.ID, "cache").text, "second note from the cache")

    # The filters of the form: a feeling chosen in its select and a
    # department typed (the example's rows carry the department's name)
    # change the note: Gironde's 6 exported négatif of the 240.
    analysed = "//dt[contains(., 'Expériences analysées')]/following-sibling::dd[1]"
    before = driver.find_element(By.XPATH, analysed).text
    Select(driver.find_element(By.ID, "f-feeling")).select_by_visible_text("négatif")
    driver.find_element(By.ID, "f-department").send_keys("Gironde")
    click_and_wait(driver, "form[action='/note'] button")
    check("feeling=negatif" in driver.current_url and "department=Gironde" in driver.current_url,
          "the form sends the feeling and the department: %s" % driver.current_url)
    after = driver.find_element(By.XPATH, analysed).text
    check(before == "240" and after == "6", "the note's count follows the filters: %s, then %s" % (before, after))
    check(Select(driver.find_element(By.ID, "f-feeling")).first_selected_option.text == "négatif",
          "the select keeps the feeling chosen")
    scope = driver.find_element(By.XPATH, "//dt[contains(., 'Filtres')]/following-sibling::dd[1]").text
    scope = scope.replace("\u00a0", " ")
    check("ressenti = « négatif » ; département = « Gironde »" in scope, "the scope says both: %s" % scope)
    axe(driver, "/note (filtered by feeling and department)")
    driver.get(base + "/note?topics=4")

    links = driver.find_elements(By.CSS_SELECTOR, "a[href^='/note/sujet']")
    check(len(links) > 0, "topics link to their experiences")
    click_and_wait(driver, "a[href^='/note/sujet']")
    marks = driver.find_elements(By.CSS_SELECTOR, "mark.verbatim")
    check(len(marks) > 0, "a verbatim span is highlighted")
    if marks:
        span = marks[0].text
        text = marks[0].find_element(By.XPATH, "..").text
        check(span and span in text, "the highlighted span is inside its experience's text")
    axe(driver, "/note/sujet")

    driver.get(base + "/experiences?q=rendez-vous")
    check(len(driver.find_elements(By.CSS_SELECTOR, "article.exp")) > 0, "full-text search finds experiences")
    axe(driver, "/experiences")

    # Compare two periods with the form, then the trends page.
    driver.get(base + "/compare")
    axe(driver, "/compare (form)")
    driver.find_element(By.ID, "f-a_until").send_keys("06/30/2024")
    driver.find_element(By.ID, "f-b_since").send_keys("07/01/2024")
    click_and_wait(driver, "form[action='/compare'] button")
    check("a_until=2024-06-30" in driver.current_url and "b_since=2024-07-01" in driver.current_url,
          "the compare form sends both periods: %s" % driver.current_url)
    side_b = driver.find_element(By.ID, "cote-b").text
    check("depuis le 2024-07-01" in side_b, "side B is the second period: %s" % side_b)
    rows = driver.find_elements(By.CSS_SELECTOR, "#sujets tbody tr")
    check(len(rows) >= 4, "the topics of both periods side by side (%d rows)" % len(rows))
    check(len(driver.find_elements(By.CSS_SELECTOR, "#ressentis th[scope='row']")) == 4, "feelings of both periods")
    axe(driver, "/compare")
    driver.get(base + "/trends?topics=4")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart polyline")) == 4, "trends: one line per topic")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#evolution tbody tr")) == 18, "trends: one row per month")
    axe(driver, "/trends")

    # The JSON download, with the browser's session cookie.
    cookie = driver.get_cookie("voix_session")
    req = urllib.request.Request(base + "/note/telecharger?format=json&topics=4",
                                 headers={"Cookie": "voix_session=" + cookie["value"]})
    with urllib.request.urlopen(req) as r:
        note = json.load(r)
        check(r.headers.get("Content-Disposition", "").startswith("attachment"), "JSON is a download")
    check(note.get("schema") == "voix.note/1", "downloaded note has schema voix.note/1")
    check(isinstance(note.get("topics"), list) and len(note["topics"]) == 4, "downloaded note has 4 topics")

    # The public form, without account (a new browser profile has no cookie).
    driver.delete_all_cookies()
    driver.get(base + "/avis")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Je donne mon avis", "the public form opens without account")
    axe(driver, "/avis")
    driver.find_element(By.ID, "q").send_keys("montclair caf")
    click_and_wait(driver, "button[value='chercher']")
    radios = driver.find_elements(By.CSS_SELECTOR, "input[name='structure']")
    check(len(radios) == 1, "the search offers the one matching structure")
    axe(driver, "/avis (search results)")
    driver.find_element(By.ID, "titre").send_keys("Accueil <b>rapide</b>")
    driver.execute_script("document.querySelector('form.avis').noValidate = true;")
    click_and_wait(driver, "button[value='envoyer']")
    errors = driver.find_elements(By.CSS_SELECTOR, "#erreurs li")
    check(len(errors) >= 5, "missing fields are listed on top (%d)" % len(errors))
    check(driver.find_element(By.ID, "titre").get_attribute("value") == "Accueil <b>rapide</b>",
          "the title typed is kept as text")
    check(driver.find_element(By.ID, "description").get_attribute("aria-describedby") == "description-erreur",
          "the description's message is tied to it")
    axe(driver, "/avis (errors)")
    driver.find_element(By.CSS_SELECTOR, "input[name='structure']").click()
    driver.execute_script("document.getElementById('date').value = '2024-03-12';")
    driver.find_element(By.CSS_SELECTOR, "input[name='canaux'][value='Accueil']").click()
    driver.find_element(By.CSS_SELECTOR, "input[name='ressenti'][value='positif']").click()
    driver.find_element(By.ID, "description").send_keys("Reçu en dix minutes, dossier réglé sur place.")
    driver.find_element(By.CSS_SELECTOR, "input[name='poste_comme']").click()
    driver.find_element(By.ID, "consentement").click()
    click_and_wait(driver, "button[value='envoyer']")
    check("/avis/merci?n=" in driver.current_url, "the experience is sent: %s" % driver.current_url)
    axe(driver, "/avis/merci")

    # The moderator publishes it.
    driver.get(base + "/connexion")
    check(sign_in(driver, moderator, "/moderation"), "a moderator lands on the queue")
    check(len(driver.find_elements(By.CSS_SELECTOR, "article.exp")) == 1, "the queue holds the experience sent")
    axe(driver, "/moderation")
    click_and_wait(driver, "article.exp button[value='publier']")
    check("publiée" in driver.find_element(By.CSS_SELECTOR, "p.notice").text, "the experience is published")
    axe(driver, "/moderation (after a decision)")

    # The agent of its structure replies.
    driver.delete_all_cookies()
    driver.get(base + "/connexion")
    check(sign_in(driver, agent, "/reponses"), "an agent lands on the replies")
    check("en attente de réponse" in driver.page_source, "the published experience awaits its reply")
    axe(driver, "/reponses")
    click_and_wait(driver, "a[href^='/reponses?n=']")
    axe(driver, "/reponses?n= (reply form and assistance)")
    driver.find_element(By.ID, "reponse").send_keys("Merci, nous transmettons à l'équipe d'accueil.")
    click_and_wait(driver, "form[action='/reponses'] button")
    driver.get(base + "/reponses")
    check("avec réponse" in driver.page_source, "the experience now has its reply")

    # The structure's public page, without account.
    driver.delete_all_cookies()
    driver.get(base + "/structure?code=EXMPL00001")
    check("nous transmettons" in driver.page_source, "the public page shows the experience and its reply")
    axe(driver, "/structure")
finally:
    driver.quit()
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
