//! The fault harness: the real binary run with a deadline ([`Outcome`]), and [`Case`], a copy
//! of the `minimal` site already built into its output folder (plus a file of the user's),
//! which a test breaks by writing one file or a few and then expects to fail cleanly.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Workspace, snapshot};

/// No build of these small sites may take longer, whatever it is fed.
pub(super) const DEADLINE: Duration = Duration::from_secs(20);

/// A valid article's front matter; tests replace or add lines.
pub(super) const FRONT: &str =
    "title: خبر للاختبار\ndate: 2026-01-01 10:00\nauthor: sara-ali\ncategory: security\n";

/// Where the article written from [`FRONT`] is published.
pub(super) const FRONT_PAGE: &str = "security/خبر-للاختبار/index.html";

/// The file most tests break.
pub(super) const F: &str = "content/articles/f.md";

/// An article file: `front` between the fences, then `body`.
pub(super) fn article(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// `file:N:` for the first line of `text` starting with `prefix`, counted from 1.
pub(super) fn loc(file: &str, text: &str, prefix: &str) -> String {
    let n = text
        .split('\n')
        .position(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {text:?}"))
        + 1;
    format!("{file}:{n}:")
}

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

/// One finished run of the binary.
pub(super) struct Outcome {
    pub(super) status: ExitStatus,
    pub(super) stdout: String,
    pub(super) stderr: String,
    elapsed: Duration,
}

impl Outcome {
    pub(super) fn show(&self) -> String {
        format!(
            "status {:?} (signal {:?}) after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.status.code(),
            self.status.signal(),
            self.elapsed,
            self.stdout,
            self.stderr
        )
    }

    /// The build failed as a build should: exit code 1, no signal, a message.
    pub(super) fn assert_failed(&self) {
        assert_eq!(
            self.status.code(),
            Some(1),
            "the build must fail with exit code 1\n{}",
            self.show()
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "no message\n{}",
            self.show()
        );
    }

    pub(super) fn assert_succeeded(&self) {
        assert!(
            self.status.success(),
            "the build must succeed\n{}",
            self.show()
        );
    }
}

/// Runs `command`, killing it and failing the test when it outlives `deadline`.
pub(super) fn run_with_deadline(mut command: Command, deadline: Duration) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the qissa binary");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for qissa") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "qissa was still running after {deadline:?}; killed\n--- stderr\n{}",
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

/// `qissa build --root <root> --output <output>` with a deadline.
pub(super) fn build(root: &Path, output: &Path) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qissa"));
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output);
    run_with_deadline(command, DEADLINE)
}

// ---------------------------------------------------------------------------------------
// A site with a good previous build
// ---------------------------------------------------------------------------------------

/// The `minimal` site, already built into its output folder (plus a file of the user's);
/// tests then break it and check that the next build fails cleanly.
pub(super) struct Case {
    pub(super) ws: Workspace,
    before: BTreeMap<PathBuf, Option<Vec<u8>>>,
}

impl Case {
    pub(super) fn new() -> Case {
        Case::from(Workspace::fixture("minimal"))
    }

    pub(super) fn from(ws: Workspace) -> Case {
        build(&ws.site(), &ws.output()).assert_succeeded();
        std::fs::write(ws.output().join("marker.txt"), "not made by qissa").unwrap();
        let before = snapshot(&ws.output());
        Case { ws, before }
    }

    pub(super) fn site(&self) -> PathBuf {
        self.ws.site()
    }

    /// Writes `bytes` to `rel` inside the site, creating folders.
    pub(super) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        self.ws.write_bytes(rel, bytes.as_ref());
    }

    pub(super) fn build(&self) -> Outcome {
        build(&self.site(), &self.ws.output())
    }

    /// Builds, checks that the build failed cleanly, and returns what it printed.
    pub(super) fn fails(&self) -> String {
        let run = self.build();
        run.assert_failed();
        self.assert_untouched();
        run.stderr
    }

    /// The output folder is as the previous build left it, with nothing beside it.
    pub(super) fn assert_untouched(&self) {
        assert!(
            snapshot(&self.ws.output()) == self.before,
            "a failed build changed the output folder"
        );
        assert_no_leftovers(self.ws.path());
    }
}

/// No staging or half-swapped folder next to the output.
pub(super) fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".qissa-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "left beside the output: {leftovers:?}"
    );
}

/// Panics unless `stderr` contains every one of `needles`.
pub(super) fn expect(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr must mention {needle:?}:\n{stderr}"
        );
    }
}

/// The lines of `stderr` that start a diagnostic.
pub(super) fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect()
}

/// Writes `text` into `file` of the `minimal` site and expects the build to fail naming
/// `file` at the line starting with `line_prefix` (when given) and mentioning `needles`.
pub(super) fn assert_file_fault(
    file: &str,
    text: &str,
    line_prefix: Option<&str>,
    needles: &[&str],
) -> String {
    let case = Case::new();
    case.write(file, text);
    let stderr = case.fails();
    expect(&stderr, &[file]);
    if let Some(prefix) = line_prefix {
        expect(&stderr, &[&loc(file, text, prefix)]);
    }
    expect(&stderr, needles);
    stderr
}

/// [`assert_file_fault`] on [`F`].
pub(super) fn assert_front_matter_fault(
    text: &str,
    line_prefix: Option<&str>,
    needles: &[&str],
) -> String {
    assert_file_fault(F, text, line_prefix, needles)
}
