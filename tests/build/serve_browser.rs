//! The preview in a real browser: headless Chromium driven over WebDriver (chromedriver,
//! spoken to with std's TcpStream and serde_json). The page must follow the files on disk by
//! itself: a new title and a new paragraph in place (no reload: what the reader and the
//! page's scripts did stays), an embed (reloaded: it needs the page's script), a moved page
//! at its new URL, the error overlay, the fixed page, a stylesheet (reloaded), and a
//! restarted server.
//!
//! Without `/usr/bin/chromium` and `chromedriver` the test says SKIPPED on stderr and returns,
//! unless `QISSA_REQUIRE_BROWSER=1` (as in CI), where a missing browser fails it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use super::support::{Server, eventually, free_port, http, replace_line, save_atomically};
use super::{ARTICLE, ARTICLE_PAGE, TITLE, without_closing_fence};
use crate::support::Workspace;

const CHROMIUM: &str = "/usr/bin/chromium";

/// How long the page may take to follow a change on disk.
const FOLLOW: Duration = Duration::from_secs(10);

/// `chromedriver` on the PATH.
fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

/// A headless Chromium session. Dropping it ends the session and stops chromedriver.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: TempDir,
}

impl Browser {
    /// Starts chromedriver and a session, or `None` (after saying SKIPPED) when the browser
    /// is not installed. With `QISSA_REQUIRE_BROWSER=1` a missing browser panics instead.
    pub fn start() -> Option<Browser> {
        let driver = chromedriver();
        if !Path::new(CHROMIUM).is_file() || driver.is_none() {
            let message =
                "chromium/chromedriver not installed (apt-get install chromium chromium-driver)";
            if std::env::var("QISSA_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("{message}, and QISSA_REQUIRE_BROWSER=1 requires them");
            }
            // Straight to the process's stderr: the test harness does not capture it, so the
            // skip shows even when the test passes.
            let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
            return None;
        }
        let port = free_port();
        let profile = tempfile::tempdir().expect("create a profile folder");
        let driver = Command::new(driver.unwrap())
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                profile.path().join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run chromedriver");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let ready = eventually(Duration::from_secs(20), || {
            browser
                .call("GET", "/status", None)
                .is_ok_and(|v| v["ready"] == json!(true))
        });
        assert!(ready, "chromedriver did not become ready within 20 s");
        let user_data = browser._profile.path().join("profile");
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            format!("--user-data-dir={}", user_data.display()),
                        ]
                    }
                }
            }
        });
        let session = browser
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e}"));
        browser.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser.session_call(
            "POST",
            "/timeouts",
            json!({"pageLoad": 15000, "script": 5000}),
        );
        Some(browser)
    }

    /// One WebDriver command; `Ok` with the response's `value`, `Err` with its error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let host = format!("127.0.0.1:{}", self.port);
        let body = body.map(|b| b.to_string());
        let mut headers = vec![("Host", host.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json; charset=utf-8"));
        }
        let response = http(
            self.port,
            format!("{method} {path} HTTP/1.1").as_bytes(),
            &headers,
            body.as_deref().map(str::as_bytes),
            Duration::from_secs(60),
        )?;
        let value: Value = serde_json::from_slice(&response.body)
            .map_err(|e| format!("{e}: {}", response.text()))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if response.status == 200 {
            Ok(value)
        } else {
            Err(format!(
                "{method} {path}: {} {} {}",
                response.status, value["error"], value["message"]
            ))
        }
    }

    pub(crate) fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, Some(body))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens `url` and waits for it to load.
    pub fn navigate(&self, url: &str) {
        self.session_call("POST", "/url", json!({ "url": url }));
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub fn eval(&self, script: &str) -> Result<Value, String> {
        let path = format!("/session/{}/execute/sync", self.session);
        self.call("POST", &path, Some(json!({ "script": script, "args": [] })))
    }

    /// Runs `script` asynchronously: it is a function body whose last argument,
    /// `arguments[arguments.length - 1]`, is the callback that gives the value; `args` come
    /// first. The script timeout of the session applies.
    pub fn eval_async(&self, script: &str, args: Value) -> Result<Value, String> {
        let path = format!("/session/{}/execute/async", self.session);
        self.call(
            "POST",
            &path,
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// What the test watches in the page.
    pub fn state(&self) -> Option<PageState> {
        let value = self
            .eval(
                "var h1 = document.querySelector('h1');\
                 return [document.readyState, document.title, h1 ? h1.textContent.trim() : null,\
                 !!document.getElementById('qissa-error'), window.__marker === 1];",
            )
            .ok()?;
        Some(PageState {
            complete: value[0] == json!("complete"),
            title: value[1].as_str().unwrap_or("").to_string(),
            h1: value[2].as_str().map(str::to_string),
            overlay: value[3] == json!(true),
            marker: value[4] == json!(true),
        })
    }

    /// Polls the page until `check` holds; panics with the last state after `timeout`.
    pub fn wait_for(&self, what: &str, timeout: Duration, check: impl Fn(&PageState) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut last = None;
        loop {
            if let Some(state) = self.state() {
                if state.complete && check(&state) {
                    return;
                }
                last = Some(state);
            }
            if Instant::now() >= deadline {
                panic!("{what}: not within {timeout:?}; last page state: {last:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Presses and releases one key (a WebDriver key code such as `\u{E004}` for Tab) in
    /// the focused element.
    pub fn press(&self, key: char) {
        let key = key.to_string();
        let actions = json!({ "actions": [{
            "type": "key",
            "id": "keyboard",
            "actions": [{ "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }]
        }]});
        self.session_call("POST", "/actions", actions);
    }

    /// Clicks the first element matching `css`, as a reader would: scrolled into view, and
    /// tried again while the page is still moving (a smooth scroll, a frame that took focus).
    pub fn click(&self, css: &str) {
        let scroll = format!(
            "document.querySelector({}).scrollIntoView({{block: 'center', behavior: 'instant'}}); return true;",
            json!(css)
        );
        let found = self.session_call(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string();
        let path = format!("/session/{}/element/{id}/click", self.session);
        let mut last = String::new();
        for _ in 0..20 {
            self.eval(&scroll)
                .unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
            std::thread::sleep(Duration::from_millis(150));
            match self.call("POST", &path, Some(json!({}))) {
                Ok(_) => return,
                Err(e) => last = e,
            }
        }
        panic!("cannot click {css}: {last}");
    }

    /// Sets `window.__marker`, which a reload clears.
    pub fn mark(&self) {
        self.eval("window.__marker = 1; return true;")
            .unwrap_or_else(|e| panic!("set the marker: {e}"));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.call("DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The page as the test sees it.
#[derive(Debug)]
pub struct PageState {
    pub complete: bool,
    pub title: String,
    pub h1: Option<String>,
    pub overlay: bool,
    pub marker: bool,
}

#[test]
fn the_open_page_follows_edits_errors_fixes_and_restarts_by_itself() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let ws = Workspace::demo();
    let mut server = Server::start(&ws.site());
    let article = ws.site().join(ARTICLE);
    let good = std::fs::read_to_string(&article).unwrap();
    let url = server.url(ARTICLE_PAGE);

    browser.navigate(&url);
    browser.wait_for("the article is open", FOLLOW, |s| {
        s.h1.as_deref() == Some(TITLE) && s.title.contains(TITLE) && !s.overlay
    });

    // A new title, saved on disk; the test never refreshes the page. Only pages changed:
    // the page is updated in place, so the marker, the text size the reader chose and the
    // text-size buttons' listeners are still there.
    browser.click(".text-larger");
    let text_size = "return document.documentElement.style.fontSize;";
    assert_eq!(browser.eval(text_size).unwrap(), json!("112.5%"));
    browser.mark();
    let edited = format!("{TITLE} في المتصفح");
    replace_line(&article, "title:", &format!("title: {edited}"));
    browser.wait_for("the new title shows in place", FOLLOW, |s| {
        s.h1.as_deref() == Some(edited.as_str()) && s.title.contains(&edited) && s.marker
    });
    assert_eq!(browser.eval(text_size).unwrap(), json!("112.5%"));
    browser.click(".text-larger");
    assert_eq!(browser.eval(text_size).unwrap(), json!("125%"));

    // A new paragraph: inserted in place.
    let paragraph = "فقرة جديدة أضافها المحرر للتو.";
    let source = std::fs::read_to_string(&article).unwrap();
    save_atomically(&article, &format!("{source}\n{paragraph}\n"));
    let shows_paragraph = format!(
        "return [...document.querySelectorAll('main p')].some(p => p.textContent === {});",
        json!(paragraph)
    );
    browser.wait_for("the new paragraph shows in place", FOLLOW, |s| {
        s.marker && browser.eval(&shows_paragraph).ok() == Some(json!(true))
    });

    // An embed needs the page's script to show its play button: the page reloads for it.
    let source = std::fs::read_to_string(&article).unwrap();
    save_atomically(
        &article,
        &format!("{source}\nhttps://youtu.be/aqz-KE-bpKQ\n"),
    );
    let play_button_shows =
        "var b = document.querySelector('figure.embed .embed-play'); return !!b && !b.hidden;";
    browser.wait_for("the page reloads for the embed", FOLLOW, |s| {
        !s.marker && browser.eval(play_button_shows).ok() == Some(json!(true))
    });
    browser.mark();

    // A headline that changes the page's URL: the page shows the new one.
    let moved_title = format!("عنوان جديد تماما {TITLE}");
    replace_line(&article, "title:", &format!("title: {moved_title}"));
    browser.wait_for("the moved page shows at its new URL", FOLLOW, |s| {
        s.h1.as_deref() == Some(moved_title.as_str()) && s.marker
    });
    let path = browser
        .eval("return decodeURIComponent(location.pathname);")
        .unwrap();
    assert!(
        path.as_str()
            .is_some_and(|p| p.starts_with("/security/عنوان-جديد-تماما")),
        "{path}"
    );
    replace_line(&article, "title:", &format!("title: {edited}"));
    browser.wait_for("back at the old URL", FOLLOW, |s| {
        s.h1.as_deref() == Some(edited.as_str())
    });

    // A broken front matter: the overlay over the last good page.
    let broken = without_closing_fence(&std::fs::read_to_string(&article).unwrap());
    save_atomically(&article, &broken);
    browser.wait_for("the error overlay shows", FOLLOW, |s| {
        s.overlay && s.h1.as_deref() == Some(edited.as_str())
    });
    let overlay_text = browser
        .eval("return document.getElementById('qissa-error').textContent;")
        .unwrap();
    assert!(
        overlay_text
            .as_str()
            .is_some_and(|t| t.contains("saudi-kazakhstan-security.md:")),
        "the overlay names the file and line: {overlay_text}"
    );

    // Fixed, with yet another title: the overlay goes and the page shows it.
    let fixed = format!("{TITLE} بعد الإصلاح");
    let fixed_source = good.replacen(
        &format!("title: {TITLE}\n"),
        &format!("title: {fixed}\n"),
        1,
    );
    assert_ne!(fixed_source, good);
    save_atomically(&article, &fixed_source);
    browser.wait_for("the fixed page shows", FOLLOW, |s| {
        !s.overlay && s.h1.as_deref() == Some(fixed.as_str())
    });

    // A stylesheet changed: the page reloads and uses it.
    browser.mark();
    let css = ws.site().join("themes/qissa/static/css/qissa.css");
    let mut style = std::fs::read_to_string(&css).unwrap();
    style.push_str("\nh1 { outline: 3px solid rgb(1, 2, 3) }\n");
    save_atomically(&css, &style);
    let outline = "return getComputedStyle(document.querySelector('h1')).outlineColor;";
    browser.wait_for("the page reloads with the new stylesheet", FOLLOW, |s| {
        !s.marker && browser.eval(outline).ok() == Some(json!("rgb(1, 2, 3)"))
    });

    // The server stops and a new one starts on the same port: the page reconnects and
    // reloads by itself.
    browser.mark();
    let port = server.port;
    server = {
        server.stop();
        Server::start_on(&ws.site(), port)
    };
    browser.wait_for("the page reloads after the restart", FOLLOW, |s| {
        !s.marker && !s.overlay && s.h1.as_deref() == Some(fixed.as_str())
    });
    drop(browser);
    drop(server);
}
