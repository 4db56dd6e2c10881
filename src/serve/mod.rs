//! `qissa serve`: the writers' live preview.
//!
//! The site is built into a private temporary folder (never `public/`), served over HTTP on
//! 127.0.0.1, and rebuilt when anything under `content/`, `themes/`, `templates/`, `static/`
//! or `site.yaml` changes. After every rebuild, successful or not, open tabs get a message
//! over a server-sent-events channel: "update" when only HTML pages changed (the tab patches
//! its page in place, see `live.js`), "reload" otherwise. A failed build keeps the last good
//! pages and shows the error over them until the file is fixed. The live script and the
//! overlay are added to HTML as it is served; built files never contain them.

mod http;
mod inject;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::builder::{BuildOptions, Change, Session};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// What the HTTP side and the rebuild side share.
pub struct Shared {
    /// The folder being served.
    pub site_dir: PathBuf,
    /// The last build's errors, when it failed (plain text; escaped when shown).
    pub error: RwLock<Option<String>>,
    /// Tells every open tab what the last build changed.
    pub reload: broadcast::Sender<Update>,
    /// Counts the builds published; pages are served with it (see [`inject::inject`]).
    pub builds: AtomicU64,
    /// The address the server listens on, for Host and Origin checks.
    pub addr: SocketAddr,
    /// Becomes true on Ctrl-C; open reload channels end so the server can stop.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// Pages whose URL changed while serving (a writer edited a title): old file → new file,
    /// so the tab that reloads the old URL is sent to the new one instead of a 404.
    pub moved: RwLock<std::collections::HashMap<String, String>>,
}

impl Shared {
    /// Nothing built yet, no error, no tab listening.
    fn new(site_dir: PathBuf, addr: SocketAddr) -> Shared {
        let (reload, _) = broadcast::channel(16);
        Shared {
            site_dir,
            error: RwLock::new(None),
            reload,
            builds: AtomicU64::new(0),
            addr,
            stopping: tokio::sync::watch::channel(false).0,
            moved: RwLock::new(std::collections::HashMap::new()),
        }
    }

    /// Records a build result and tells open tabs what changed.
    pub fn publish(&self, error: Option<String>, update: Update) {
        if let Ok(mut slot) = self.error.write() {
            *slot = error;
        }
        self.builds.fetch_add(1, Ordering::SeqCst);
        // No open tab is not an error.
        let _ = self.reload.send(update);
    }

    /// The number of the last build published.
    pub fn build_number(&self) -> u64 {
        self.builds.load(Ordering::SeqCst)
    }

    /// Remembers pages that moved, following chains (a title edited twice).
    pub fn record_moves(&self, moves: &[(String, String)]) {
        let Ok(mut moved) = self.moved.write() else {
            return;
        };
        for (old, new) in moves {
            for target in moved.values_mut() {
                if target == old {
                    *target = new.clone();
                }
            }
            moved.insert(old.clone(), new.clone());
            moved.remove(new); // the new place is real now
        }
    }

    /// Where a page that is gone went, if it moved while serving.
    pub fn moved_to(&self, file: &str) -> Option<String> {
        self.moved.read().ok()?.get(file).cloned()
    }

    /// The last build error, if any.
    pub fn current_error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }
}

/// What open tabs are told after a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Only HTML pages changed (or the build failed, which shows over the pages): a tab
    /// may update its page in place.
    Pages,
    /// Load the page again: the first build, or a stylesheet, script, photo or other file.
    Reload,
}

/// Builds, serves and watches until Ctrl-C. Returns a message for the user on failure.
pub fn serve(mut options: ServeOptions) -> Result<(), String> {
    // The watcher reports absolute paths; compare them with an absolute root.
    options.root = options.root.canonicalize().map_err(|e| {
        format!(
            "error: cannot open the site folder {}: {e}",
            options.root.display()
        )
    })?;
    let (listener, addr) = listen(SocketAddr::new(options.bind, options.port))?;
    let temp = tempfile::Builder::new()
        .prefix("qissa-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder for the preview: {e}"))?;
    let shared = Arc::new(Shared::new(temp.path().join("site"), addr));

    let mut session = Session::new(preview_build_options(&options, &shared));
    let first = watch::rebuild(&mut session, Change::Everything, &shared, "initial build");
    if first.is_err() {
        eprintln!("the preview will show the error until it is fixed");
    }
    watch::start(&options.root, session, shared.clone())?;

    let url = format!("http://{}/", display_host(addr));
    println!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }
    serve_until_stopped(listener, shared)?;
    println!("stopped");
    // The temporary folder, and the pages in it, go only once nothing serves them.
    drop(temp);
    Ok(())
}

/// Binds the address before anything is built, so a port in use fails at once; with port 0
/// the system picks one, and the returned address says which.
fn listen(addr: SocketAddr) -> Result<(std::net::TcpListener, SocketAddr), String> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| bind_error(addr, &e))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    Ok((listener, addr))
}

/// Builds into the private folder, with links pointing at the preview's own address.
fn preview_build_options(options: &ServeOptions, shared: &Shared) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        output: Some(shared.site_dir.clone()),
        drafts: options.drafts,
        base_url: Some(format!("http://{}/", display_host(shared.addr))),
        now: None,
        // The session itself is the cache while serving.
        cache: false,
        list_changes: false,
    }
}

/// Serves HTTP on a small runtime of its own until Ctrl-C; the builds run on the watcher's
/// thread, not here.
fn serve_until_stopped(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(http::run(listener, shared))
}

/// Runs one build for the preview: `pages_out` is told as soon as the HTML pages are in
/// place (see [`Session::build_pages_then`]); an incremental build leaves feeds, sitemaps and
/// the search index for [`finish_once`], so tabs reload before they are made.
pub(crate) fn build_once(
    session: &mut Session,
    change: Change,
    pages_out: crate::builder::PagesOut<'_>,
) -> Result<crate::builder::Report, String> {
    guarded(session, |session| {
        session.build_pages_then(change, Some(pages_out))
    })
}

/// Makes what the last build left for after the reload (feeds, sitemaps, the search index),
/// giving the index up when `stop` says a new save waits; returns how long it took and
/// whether it is still unfinished.
pub(crate) fn finish_once(
    session: &mut Session,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(std::time::Duration, bool), String> {
    guarded(session, |session| {
        let update = session.finish_pending(stop)?;
        Ok(update.map_or((std::time::Duration::ZERO, false), |u| {
            (u.took, u.unfinished)
        }))
    })
}

/// Runs one step of a build. A panic in it must not take the preview down: it is reported
/// like a build error, and the next build starts from scratch in case the session was left
/// half-updated.
fn guarded<T>(
    session: &mut Session,
    step: impl FnOnce(&mut Session) -> Result<T, crate::error::BuildError>,
) -> Result<T, String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(session)));
    if outcome.is_err() {
        let options = session.options().clone();
        *session = Session::new(options);
    }
    match outcome {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(
            "internal error: the build panicked; please report this with the file you changed"
                .into(),
        ),
    }
}

fn bind_error(addr: SocketAddr, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "error: port {} on {} is already in use; stop the other server or choose another port with --port",
            addr.port(),
            addr.ip()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "error: not allowed to listen on port {}; use a port above 1024 with --port",
            addr.port()
        ),
        _ => format!("error: cannot listen on {addr}: {error}"),
    }
}

/// `127.0.0.1:1111`, or `[::1]:1111` for IPv6.
fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        _ => addr.to_string(),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
