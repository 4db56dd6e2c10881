//! Helpers for the `qissa serve` tests, std only: the real binary started on a free port and
//! killed on drop, a raw HTTP/1.1 client that sends the request line exactly as given, a
//! reader of the reload channel (server-sent events), and editors' ways of saving a file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use scraper::Html;
use tempfile::TempDir;

/// How long the server may take to build the site and say it is serving.
const STARTUP: Duration = Duration::from_secs(30);

/// A port nobody listens on right now (bound to 127.0.0.1:0 and released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// A running `qissa serve`. Dropping it kills the process.
pub struct Server {
    child: Child,
    pub port: u16,
    pub root: PathBuf,
    /// The child's `TMPDIR`, so its private `qissa-serve-*` folder can be found.
    tmp: TempDir,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    stderr_thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on a free port; panics, with the server's output, if it does not start.
    pub fn start(root: &Path) -> Server {
        Server::start_on(root, free_port())
    }

    /// Serves `root` on `port`; panics, with the server's output, if it does not start.
    pub fn start_on(root: &Path, port: u16) -> Server {
        Server::try_start(root, port).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Serves `root` on `port`; `Err` holds the exit status and the output when the server
    /// exits (or stays silent for 30 s) before printing its "serving … at …" line.
    pub fn try_start(root: &Path, port: u16) -> Result<Server, Failure> {
        let tmp = tempfile::tempdir().expect("create a temporary folder");
        let mut child = Command::new(env!("CARGO_BIN_EXE_qissa"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .arg("--port")
            .arg(port.to_string())
            .env("TMPDIR", tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the qissa binary");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let lines = read_lines(child.stdout.take().unwrap(), stdout.clone());
        let stderr_thread = Some(collect(child.stderr.take().unwrap(), stderr.clone()));
        let mut server = Server {
            child,
            port,
            root: root.to_path_buf(),
            tmp,
            stdout,
            stderr,
            stderr_thread,
        };
        let deadline = Instant::now() + STARTUP;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.starts_with("serving ") => {
                    let expected = format!("at http://127.0.0.1:{port}/ (Ctrl-C to stop)");
                    assert!(
                        line.ends_with(&expected),
                        "the ready line must end with {expected:?}: {line:?}"
                    );
                    return Ok(server);
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    let _ = server.child.kill();
                    let status = server.child.wait().ok();
                    return Err(server.failure(status, "did not say it is serving within 30 s"));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = server.wait_exit(Duration::from_secs(10));
                    return Err(server.failure(status, "exited before serving"));
                }
            }
        }
    }

    fn failure(&mut self, status: Option<ExitStatus>, what: &str) -> Failure {
        if let Some(thread) = self.stderr_thread.take() {
            let _ = thread.join();
        }
        Failure {
            status,
            stdout: self.stdout(),
            stderr: self.stderr(),
            what: what.to_string(),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The URL of a site path such as `/tags/مصر/`, percent-encoded as a browser sends it.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin(), encode_path(path))
    }

    /// What the server printed to stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// What the server printed to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The folders the server created in its temporary folder (`qissa-serve-*`).
    pub fn private_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(self.tmp.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with("qissa-serve-"))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        dirs
    }

    /// Sends the signal `name` with `kill`: `INT` as Ctrl-C in the terminal does, `TERM`,
    /// `HUP`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits up to `timeout` for the process to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the output streams are closed (after the process exited).
    pub fn join_output(&mut self) {
        if let Some(thread) = self.stderr_thread.take() {
            let _ = thread.join();
        }
    }

    /// Kills the process and waits for it.
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        if self.is_running() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }

    /// `GET <target> HTTP/1.1` with this server's Host.
    pub fn get(&self, target: &str) -> Response {
        self.request(format!("GET {target} HTTP/1.1").as_bytes(), &[])
    }

    /// A site path such as `/tags/مصر/`, percent-encoded as a browser sends it.
    pub fn get_page(&self, path: &str) -> Response {
        self.get(&encode_path(path))
    }

    /// Sends `request_line` byte for byte, then `headers` (with `Host: 127.0.0.1:PORT`
    /// unless they hold a Host) and `Connection: close`.
    pub fn request(&self, request_line: &[u8], headers: &[(&str, &str)]) -> Response {
        let host = format!("127.0.0.1:{}", self.port);
        let mut all: Vec<(&str, &str)> = Vec::new();
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            all.push(("Host", &host));
        }
        all.extend_from_slice(headers);
        http(self.port, request_line, &all, None, Duration::from_secs(15))
            .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(request_line)))
    }

    /// Opens the reload channel with this server's Host and the extra `headers`.
    pub fn reload_channel_with(&self, headers: &[(&str, &str)]) -> Result<Sse, Response> {
        let host = format!("127.0.0.1:{}", self.port);
        let mut all: Vec<(&str, &str)> = Vec::new();
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            all.push(("Host", &host));
        }
        all.extend_from_slice(headers);
        Sse::open(self.port, &all)
    }

    /// Opens the reload channel as a page of this server would.
    pub fn reload_channel(&self) -> Sse {
        let origin = self.origin();
        self.reload_channel_with(&[("Origin", &origin)])
            .unwrap_or_else(|r| panic!("the reload channel refused: {} {}", r.status, r.text()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Why a server did not start.
#[derive(Debug)]
pub struct Failure {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub what: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "qissa serve {} (status {:?})\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.status, self.stdout, self.stderr
        )
    }
}

/// Sends every stdout line to the returned channel and keeps a copy.
fn read_lines(stdout: ChildStdout, keep: Arc<Mutex<String>>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            keep.lock().unwrap().push_str(&format!("{line}\n"));
            // The test may have stopped listening; keep the copy anyway.
            let _ = tx.send(line);
        }
    });
    rx
}

/// Keeps everything a stream says.
fn collect(mut stream: impl Read + Send + 'static, keep: Arc<Mutex<String>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            keep.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
}

/// Percent-encodes each segment of a site path, keeping the slashes.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|s| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as HTML.
    pub fn doc(&self) -> Html {
        Html::parse_document(&self.text())
    }
}

/// Sends one request over a fresh connection, byte for byte: `request_line`, `headers`,
/// `Connection: close` and, with a body, its length. Reads the whole response.
pub fn http(
    port: u16,
    request_line: &[u8],
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    timeout: Duration,
) -> Result<Response, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let mut request = request_line.to_vec();
    request.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        request.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    request.extend_from_slice(b"Connection: close\r\n");
    if let Some(body) = body {
        request.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    if let Some(body) = body {
        request.extend_from_slice(body);
    }
    stream.write_all(&request).map_err(|e| e.to_string())?;
    // Read until the response is complete: some servers keep the connection open anyway.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        if response_complete(&raw) {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) => return Err(format!("reading the response: {e}")),
        }
    }
    parse_response(&raw)
}

/// Whether `raw` holds a whole response, by its Content-Length or its last chunk.
fn response_complete(raw: &[u8]) -> bool {
    let Ok(Some((_, headers, start))) = parse_head(raw) else {
        return false;
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut decoder = Chunks::default();
        decoder.feed(&raw[start..]);
        return decoder.done;
    }
    match header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        Some(length) => raw.len() - start >= length,
        None => false,
    }
}

/// Splits a complete response into status, headers and (de-chunked) body.
fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let (status, headers, start) = parse_head(raw)?.ok_or_else(|| {
        format!(
            "no complete response head in {:?}",
            String::from_utf8_lossy(raw)
        )
    })?;
    let rest = &raw[start..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        let mut decoder = Chunks::default();
        decoder.feed(rest);
        decoder.data
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

type Head = (u16, Vec<(String, String)>, usize);

/// The status, headers and body offset, once the head is complete.
fn parse_head(raw: &[u8]) -> Result<Option<Head>, String> {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Some((status, headers, end + 4)))
}

/// An incremental decoder of a chunked body.
#[derive(Default)]
struct Chunks {
    pending: Vec<u8>,
    data: Vec<u8>,
    done: bool,
}

impl Chunks {
    /// Adds bytes off the wire; decodes every complete chunk.
    fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        while !self.done {
            let Some(eol) = self.pending.windows(2).position(|w| w == b"\r\n") else {
                return;
            };
            let size_text = String::from_utf8_lossy(&self.pending[..eol]);
            let size_text = size_text.split(';').next().unwrap_or("").trim();
            let Ok(size) = usize::from_str_radix(size_text, 16) else {
                panic!("bad chunk size line {size_text:?}");
            };
            if size == 0 {
                self.done = true;
                return;
            }
            let start = eol + 2;
            if self.pending.len() < start + size + 2 {
                return;
            }
            self.data
                .extend_from_slice(&self.pending[start..start + size]);
            self.pending.drain(..start + size + 2);
        }
    }
}

/// An open reload channel: reads the event stream line by line as it arrives.
pub struct Sse {
    stream: TcpStream,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    chunks: Chunks,
    /// Decoded text not yet split into lines.
    partial: String,
    /// Every complete line received, in order (blank lines included).
    pub lines: Vec<String>,
    /// How many `data:` lines [`Sse::wait_reload`] has consumed.
    consumed: usize,
    closed: bool,
}

impl Sse {
    /// Connects and reads the response head. `Err` with the whole response unless 200.
    pub fn open(port: u16, headers: &[(&str, &str)]) -> Result<Sse, Response> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let mut request = String::from("GET /_qissa/reload HTTP/1.1\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("send");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        let (status, headers, start) = loop {
            if let Some(head) = parse_head(&raw).expect("response head") {
                break head;
            }
            let n = stream
                .read(&mut buf)
                .expect("read the reload channel's head");
            assert!(n > 0, "the reload channel closed before answering");
            raw.extend_from_slice(&buf[..n]);
        };
        if status != 200 {
            // Read the rest of a refusal; it is a small, complete response.
            while !response_complete(&raw) {
                match stream.read(&mut buf) {
                    Ok(n) if n > 0 => raw.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            return Err(parse_response(&raw).expect("a refusal"));
        }
        let mut sse = Sse {
            stream,
            status,
            headers,
            chunks: Chunks::default(),
            partial: String::new(),
            lines: Vec::new(),
            consumed: 0,
            closed: false,
        };
        sse.feed(&raw[start..]);
        Ok(sse)
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.chunks.feed(bytes);
        let data = std::mem::take(&mut self.chunks.data);
        self.partial.push_str(&String::from_utf8_lossy(&data));
        while let Some(i) = self.partial.find('\n') {
            let line = self.partial[..i].trim_end_matches('\r').to_string();
            self.partial.drain(..=i);
            self.lines.push(line);
        }
        if self.chunks.done {
            self.closed = true;
        }
    }

    /// The `data:` lines received so far.
    pub fn data_lines(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|l| l.starts_with("data:"))
            .map(String::as_str)
            .collect()
    }

    /// Reads what arrives until `deadline` or until `done` says enough.
    fn pump_until(&mut self, deadline: Instant, mut done: impl FnMut(&Sse) -> bool) -> bool {
        let mut buf = [0u8; 4096];
        loop {
            if done(self) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.closed {
                return false;
            }
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            match self.stream.read(&mut buf) {
                Ok(0) => self.closed = true,
                Ok(n) => self.feed(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => self.closed = true,
            }
        }
    }

    /// Waits up to `timeout` for a `data:` line not seen by an earlier call.
    pub fn wait_reload(&mut self, timeout: Duration) -> bool {
        let wanted = self.consumed + 1;
        let got = self.pump_until(Instant::now() + timeout, |s| s.data_lines().len() >= wanted);
        if got {
            self.consumed = wanted;
        }
        got
    }

    /// Waits for reloads until `check` holds after one of them, for up to `timeout`.
    /// `Err` says whether no reload came at all or the check never held.
    pub fn reload_until(
        &mut self,
        timeout: Duration,
        mut check: impl FnMut() -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let mut reloads = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if !self.wait_reload(left) {
                return Err(if reloads == 0 {
                    format!("no reload within {timeout:?}; received {:?}", self.lines)
                } else {
                    format!("{reloads} reload(s) within {timeout:?}, but the page never changed")
                });
            }
            reloads += 1;
            if check() {
                return Ok(());
            }
        }
    }

    /// Reads for `duration` more, keeping what arrives.
    pub fn read_for(&mut self, duration: Duration) {
        self.pump_until(Instant::now() + duration, |_| false);
    }
}

/// Saves `text` to `path` the way most editors do: a temporary file beside it, renamed over it.
pub fn save_atomically(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.qissa-test-save"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// Replaces the first line starting with `prefix` in `path` by `line` (atomic save).
pub fn replace_line(path: &Path, prefix: &str, line: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut found = false;
    let out: Vec<String> = text
        .split_inclusive('\n')
        .map(|l| {
            if !found && l.starts_with(prefix) {
                found = true;
                format!("{line}\n")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(
        found,
        "no line starting with {prefix:?} in {}",
        path.display()
    );
    save_atomically(path, &out.concat());
}

/// Polls `check` every 50 ms until it holds or `timeout` passes; true if it held.
pub fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
